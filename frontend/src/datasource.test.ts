import {
  AnnotationQuery,
  CoreApp,
  DataQueryRequest,
  DataSourceInstanceSettings,
  dataFrameToJSON,
  dateTime,
  FieldType,
  toDataFrame,
} from '@grafana/data';
import { BackendSrv, BackendSrvRequest, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, of, throwError } from 'rxjs';

import { CqlDataSource } from './datasource';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { CqlOptions, CqlQuery } from './types';
import { framesToOptions } from './variables';

function settings(jsonData: CqlOptions = {}, database?: string): DataSourceInstanceSettings<CqlOptions> {
  return {
    uid: 'cql-uid',
    type: 'opencql-cql-datasource',
    name: 'CQL',
    access: 'proxy',
    jsonData,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the keyspace fallback the settings contract names
    database,
    readOnly: false,
    meta: { id: 'opencql-cql-datasource' } as DataSourceInstanceSettings['meta'],
  } as DataSourceInstanceSettings<CqlOptions>;
}

/** Records what the data source sends to Grafana's /api/ds/query and answers with the given frames. */
function fakeBackend(frames: Array<ReturnType<typeof toDataFrame>> = []) {
  const sent: BackendSrvRequest[] = [];
  const gets: Array<{ url: string; params?: unknown }> = [];
  const srv = {
    fetch: (req: BackendSrvRequest) => {
      if (req.method === 'GET') {
        // schema resources: answer as a backend that cannot reach the cluster
        gets.push({ url: req.url, params: req.params });
        return throwError(() => ({ status: 500, data: { error: 'All host(s) tried for query failed' } }));
      }
      sent.push(req);
      const refId = (req.data as { queries: CqlQuery[] }).queries[0]?.refId ?? 'A';
      return of({
        data: { results: { [refId]: { status: 200, frames: frames.map((f) => dataFrameToJSON(f)) } } },
        status: 200,
        ok: true,
      });
    },
    // older Grafana versions read resources with get()
    get: jest.fn(async (url: string, params?: unknown) => {
      gets.push({ url, params });
      throw { status: 500, data: { error: 'All host(s) tried for query failed' } };
    }),
  };
  setBackendSrv(srv as unknown as BackendSrv);
  return { sent, gets, srv };
}

function request(targets: CqlQuery[], scopedVars = {}): DataQueryRequest<CqlQuery> {
  const from = dateTime(1704067200000);
  const to = dateTime(1704153600000);
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60000,
    range: { from, to, raw: { from, to } },
    scopedVars,
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
  };
}

describe('CqlDataSource', () => {
  beforeEach(() => {
    setTemplateSrv(new FakeTemplateSrv({ host: "x' OR 'a'='a", hosts: ['a', 'b'], col: 'ts' }));
  });

  it('interpolates cql (quoted), alias and time column (as written), and keeps every other key', () => {
    const ds = new CqlDataSource(settings());
    const query: CqlQuery = {
      refId: 'A',
      cql: 'SELECT * FROM m WHERE host = $host AND h IN ($hosts) AND $__timeFilter(ts)',
      alias: '{{column}} $hosts',
      timeColumn: '$col',
      format: 'time_series',
      fill: 'value',
      fillValue: 3,
      rowLimit: 10,
      stream: true,
      streamIntervalMs: 500,
    };
    expect(ds.applyTemplateVariables(query, {})).toEqual({
      ...query,
      cql: "SELECT * FROM m WHERE host = 'x'' OR ''a''=''a' AND h IN ('a','b') AND $__timeFilter(ts)",
      alias: '{{column}} a,b',
      timeColumn: 'ts',
    });
  });

  it('leaves $__interval in timeGroup to the backend and fills dashboard variables', () => {
    const ds = new CqlDataSource(settings());
    const query: CqlQuery = { refId: 'A', cql: 'x', format: 'time_series', timeGroup: '$__interval', aggregate: 'max' };
    expect(ds.applyTemplateVariables(query, { __interval: { text: '5m', value: '5m' } })).toEqual(query);
    expect(
      ds.applyTemplateVariables({ ...query, timeGroup: '$bucket' }, { bucket: { text: '1h', value: '1h' } }).timeGroup
    ).toBe('1h');
  });

  it('sends no empty query, but does send the self-test', () => {
    const ds = new CqlDataSource(settings());
    expect(ds.filterQuery({ refId: 'A' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', cql: '  \n ' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', cql: 'SELECT now() FROM system.local' })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'selftest' })).toBe(true);
  });

  it('starts new queries as tables with empty CQL', () => {
    expect(new CqlDataSource(settings()).getDefaultQuery(CoreApp.PanelEditor)).toEqual({ cql: '', format: 'table' });
  });

  it('takes the default keyspace from jsonData, else from the top-level database field', () => {
    expect(new CqlDataSource(settings({ keyspace: 'ks1' }, 'db')).defaultKeyspace).toBe('ks1');
    expect(new CqlDataSource(settings({}, 'db')).defaultKeyspace).toBe('db');
    expect(new CqlDataSource(settings({})).defaultKeyspace).toBeUndefined();
  });

  it('runs annotation queries as tables and skips empty ones', () => {
    const ds = new CqlDataSource(settings());
    const anno = (target?: CqlQuery) =>
      ({ enable: true, name: 'deploys', iconColor: 'red', target }) as AnnotationQuery<CqlQuery>;
    expect(ds.annotations?.getDefaultQuery?.()).toEqual({ cql: '', format: 'table' });
    expect(
      ds.annotations?.prepareQuery?.(
        anno({ refId: 'Anno', cql: 'SELECT ts AS time FROM e', format: 'time_series', stream: true })
      )
    ).toEqual({
      refId: 'Anno',
      cql: 'SELECT ts AS time FROM e',
      format: 'table',
      stream: false,
    });
    expect(ds.annotations?.prepareQuery?.(anno({ refId: 'Anno', cql: '' }))).toBeUndefined();
    expect(ds.annotations?.prepareQuery?.(anno(undefined))).toBeUndefined();
  });

  it('interpolates queries for Explore', () => {
    const ds = new CqlDataSource(settings());
    const [q] = ds.interpolateVariablesInQueries([{ refId: 'A', cql: 'WHERE h = $host' }], {});
    expect(q.cql).toBe("WHERE h = 'x'' OR ''a''=''a'");
    expect(q.datasource).toEqual({ type: 'opencql-cql-datasource', uid: 'cql-uid' });
  });

  it('asks the backend resources for the schema and survives a failing resource', async () => {
    const { gets } = fakeBackend();
    const ds = new CqlDataSource(settings({ keyspace: 'metrics' }));
    await expect(ds.schema.getKeyspaces()).resolves.toEqual([]);
    await expect(ds.schema.getColumns('metrics', 'cpu')).resolves.toEqual([]);
    expect(gets.map((g) => g.url)).toEqual([
      '/api/datasources/uid/cql-uid/resources/keyspaces',
      '/api/datasources/uid/cql-uid/resources/columns',
    ]);
    expect(gets[1].params).toEqual({ keyspace: 'metrics', table: 'cpu' });
  });

  it("fills the builder's text variables as text, numbers included, in both modes", () => {
    setTemplateSrv(new FakeTemplateSrv({ sensor: ['101', "x' OR 'a'='a"] }));
    const ds = new CqlDataSource(settings());
    const query: CqlQuery = {
      refId: 'A',
      cql: 'SELECT * FROM readings WHERE sensor IN ($sensor)',
      editorMode: 'builder',
      builder: { table: 'readings', textVariables: ['sensor'] },
    };
    const expected = "SELECT * FROM readings WHERE sensor IN ('101','x'' OR ''a''=''a')";
    expect(ds.applyTemplateVariables(query, {}).cql).toBe(expected);
    expect(ds.applyTemplateVariables({ ...query, editorMode: 'code' }, {}).cql).toBe(expected);
    expect(ds.previewCql(query)).toBe(expected);
    // without the builder's knowledge a number-like value goes in bare, as in any hand-written CQL
    expect(ds.applyTemplateVariables({ refId: 'A', cql: query.cql }, {}).cql).toBe(
      "SELECT * FROM readings WHERE sensor IN (101,'x'' OR ''a''=''a')"
    );
  });
});

describe('query variables', () => {
  beforeEach(() => {
    setTemplateSrv(new FakeTemplateSrv({ dc: "dc'1" }));
  });

  it('run through the backend with the parent variable interpolated (chained variables)', async () => {
    const frame = toDataFrame({
      fields: [{ name: 'host', type: FieldType.string, values: ['web-1', 'web-2'] }],
    });
    const { sent } = fakeBackend([frame]);
    const ds = new CqlDataSource(settings());
    const variables = ds.variables as unknown as {
      query: (r: DataQueryRequest<CqlQuery>) => ReturnType<CqlDataSource['query']>;
    };

    const response = await lastValueFrom(
      variables.query(
        request([{ refId: 'variable-query', cql: 'SELECT host FROM hosts WHERE dc = $dc', format: 'time_series' }])
      )
    );

    const queries = (sent[0].data as { queries: CqlQuery[] }).queries;
    expect(queries[0].cql).toBe("SELECT host FROM hosts WHERE dc = 'dc''1'");
    expect(queries[0].format).toBe('table');
    expect(response.data).toEqual([
      { text: 'web-1', value: 'web-1' },
      { text: 'web-2', value: 'web-2' },
    ]);
  });

  it('accept a query stored as a bare string by older dashboards', async () => {
    const { sent } = fakeBackend([]);
    const ds = new CqlDataSource(settings());
    const variables = ds.variables as unknown as {
      query: (r: DataQueryRequest<CqlQuery>) => ReturnType<CqlDataSource['query']>;
    };
    await lastValueFrom(variables.query(request(['SELECT host FROM hosts'] as unknown as CqlQuery[])));
    expect((sent[0].data as { queries: CqlQuery[] }).queries[0]).toMatchObject({
      cql: 'SELECT host FROM hosts',
      format: 'table',
    });
  });

  it('report a backend error instead of throwing', async () => {
    setBackendSrv({
      fetch: () => throwError(() => ({ status: 400, data: { message: 'bad CQL' } })),
    } as unknown as BackendSrv);
    const ds = new CqlDataSource(settings());
    const variables = ds.variables as unknown as {
      query: (r: DataQueryRequest<CqlQuery>) => ReturnType<CqlDataSource['query']>;
    };
    const response = await lastValueFrom(variables.query(request([{ refId: 'v', cql: 'SELEC' }])));
    // Grafana shows the message on the variable (error or errors, depending on the version)
    expect(JSON.stringify(response)).toContain('bad CQL');
    expect(response.data).toEqual([]);
  });
});

describe('framesToOptions', () => {
  it('uses __value and __text when present', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'other', type: FieldType.string, values: ['x', 'y'] },
        { name: '__text', type: FieldType.string, values: ['Web one', 'Web two'] },
        { name: '__value', type: FieldType.string, values: ['id-1', 'id-2'] },
      ],
    });
    expect(framesToOptions([frame])).toEqual([
      { text: 'Web one', value: 'id-1' },
      { text: 'Web two', value: 'id-2' },
    ]);
  });

  it('uses the first column otherwise, skips nulls and repeats, keeps numbers numeric', () => {
    const frame = toDataFrame({
      fields: [
        { name: 'shard', type: FieldType.number, values: [3, null, 1, 3] },
        { name: 'name', type: FieldType.string, values: ['c', 'n', 'a', 'c'] },
      ],
    });
    expect(framesToOptions([frame])).toEqual([
      { text: '3', value: 3 },
      { text: '1', value: 1 },
    ]);
  });

  it('uses __text for both when only __text is there, and ignores empty frames', () => {
    const frame = toDataFrame({ fields: [{ name: '__TEXT', type: FieldType.string, values: ['a'] }] });
    expect(framesToOptions([toDataFrame({ fields: [] }), frame])).toEqual([{ text: 'a', value: 'a' }]);
  });
});
