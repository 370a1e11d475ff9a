/*
 * A page that renders the plugin's settings page and query editor the way Grafana does (dark theme, the real
 * @grafana/ui components, the real Monaco editor bundled here, no CDN), with a fake schema behind the
 * completion and the query builder (run.mjs switches the same query from code to builder mode and back). run.mjs drives it in headless Chromium. State lives here so edits render back as in Grafana; the
 * page publishes what the editors reported on window.__cql for the checks to read.
 */
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css, cx } from '@emotion/css';
import { createTheme, DataSourceInstanceSettings, DataSourceSettings, ThemeContext } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';

import { ConfigEditor } from '../src/components/ConfigEditor';
import { QueryEditor } from '../src/components/QueryEditor';
import { VariableQueryEditor } from '../src/components/VariableQueryEditor';
import { CqlDataSource } from '../src/datasource';
import { FakeTemplateSrv } from '../src/testing/fakeTemplateSrv';
import { CqlColumn, CqlOptions, CqlQuery, CqlSecureJsonData } from '../src/types';

// Monaco's language services run in a web worker bundled next to this page.
(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: () => new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url)),
};

interface Published {
  options?: DataSourceSettings<CqlOptions, CqlSecureJsonData>;
  query?: CqlQuery;
  variableQuery?: CqlQuery;
  runs: number;
}
const published: Published = { runs: 0 };
(window as unknown as { __cql: Published }).__cql = published;

setTemplateSrv(new FakeTemplateSrv({ host: ['web-1', "o'brien"], dc: 'dc1' }));

const SCHEMA: Record<string, Record<string, CqlColumn[]>> = {
  metrics: {
    cpu: [
      { name: 'host', type: 'text', kind: 'partition_key' },
      { name: 'day', type: 'date', kind: 'partition_key' },
      { name: 'ts', type: 'timestamp', kind: 'clustering' },
      { name: 'usage', type: 'double', kind: 'regular' },
      { name: 'tags', type: 'map<text, text>', kind: 'regular' },
    ],
    events: [
      { name: 'ts', type: 'timestamp', kind: 'partition_key' },
      { name: 'text', type: 'text', kind: 'regular' },
    ],
  },
  system: { local: [{ name: 'key', type: 'text', kind: 'partition_key' }] },
};

const datasource = new CqlDataSource({
  uid: 'browser-check',
  type: 'opencql-cql-datasource',
  name: 'ScyllaDB',
  jsonData: { keyspace: 'metrics' },
  meta: { id: 'opencql-cql-datasource' },
} as DataSourceInstanceSettings<CqlOptions>);

// the backend's schema resources, answered locally
datasource.getResource = (async (path: string, params?: Record<string, string>) => {
  await new Promise((r) => setTimeout(r, 20));
  if (path === 'keyspaces') {
    return Object.keys(SCHEMA);
  }
  if (path === 'tables') {
    return Object.keys(SCHEMA[params?.keyspace ?? ''] ?? {});
  }
  if (path === 'columns') {
    return SCHEMA[params?.keyspace ?? '']?.[params?.table ?? ''] ?? [];
  }
  throw { status: 404, data: { error: `no resource ${path}` } };
}) as CqlDataSource['getResource'];

const initialOptions = {
  id: 1,
  uid: 'browser-check',
  orgId: 1,
  name: 'ScyllaDB',
  type: 'opencql-cql-datasource',
  typeName: 'CQL (ScyllaDB / Cassandra)',
  typeLogoUrl: '',
  access: 'proxy',
  url: '',
  user: '',
  database: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: true,
  withCredentials: false,
  readOnly: false,
  version: 1,
  jsonData: {
    contactPoints: 'scylla-1, scylla-2, scylla-3:19042',
    keyspace: 'metrics',
    localDatacenter: 'dc1',
    consistency: 'LOCAL_QUORUM',
    tlsEnabled: true,
    tlsServerName: 'scylla.internal',
  },
  secureJsonFields: { username: true, password: true, tlsCACert: true },
  secureJsonData: {},
} as unknown as DataSourceSettings<CqlOptions, CqlSecureJsonData>;

const initialQuery: CqlQuery = {
  refId: 'A',
  format: 'time_series',
  timeColumn: 'ts',
  alias: '{{host}}',
  cql: [
    'SELECT host, ts, usage FROM cpu',
    'WHERE host IN ($host) AND day IN ($__timeBuckets(day))',
    '  AND $__timeFilter(ts)',
    '',
  ].join('\n'),
};

published.options = initialOptions;
published.query = initialQuery;

const initialVariableQuery: CqlQuery = {
  refId: 'variable',
  cql: 'SELECT host FROM cpu WHERE day IN ($__timeBuckets(day))',
};
published.variableQuery = initialVariableQuery;

function App() {
  const [options, setOptions] = useState(initialOptions);
  const [query, setQuery] = useState(initialQuery);
  const [variableQuery, setVariableQuery] = useState(initialVariableQuery);
  const styles = {
    page: css({ display: 'flex', flexDirection: 'column', gap: 24, padding: 24 }),
    card: css({ padding: 16, background: '#181b1f', border: '1px solid #2d3035', borderRadius: 2, width: 1000 }),
    // Grafana's settings page is one column at most ~800 px wide
    narrow: css({ width: 800 }),
    title: css({ fontSize: 18, marginBottom: 12 }),
  };
  // the query editor comes first: Monaco places its completion list by the body's height, as in Grafana where
  // the page itself does not scroll
  return (
    <div className={styles.page}>
      <section className={styles.card} id="query-card">
        <h2 className={styles.title}>Query A</h2>
        <QueryEditor
          query={query}
          datasource={datasource}
          onChange={(q) => {
            published.query = q;
            setQuery(q);
          }}
          onRunQuery={() => {
            published.runs++;
          }}
        />
      </section>
      <section className={cx(styles.card, styles.narrow)} id="variable-card">
        <h2 className={styles.title}>Variable host: query</h2>
        <VariableQueryEditor
          query={variableQuery}
          datasource={datasource}
          onChange={(q) => {
            published.variableQuery = q;
            setVariableQuery(q);
          }}
          onRunQuery={() => {}}
        />
      </section>
      <section className={cx(styles.card, styles.narrow)} id="config-card">
        <h2 className={styles.title}>Settings: CQL (ScyllaDB / Cassandra)</h2>
        <ConfigEditor
          options={options}
          onOptionsChange={(o) => {
            published.options = o;
            setOptions(o);
          }}
        />
      </section>
    </div>
  );
}

const theme = createTheme({ colors: { mode: 'dark' } });
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <App />
  </ThemeContext.Provider>
);
