import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { CqlDataSource } from '../datasource';
import { CqlOptions, CqlQuery } from '../types';
import { CqlCodeEditor } from './CqlCodeEditor';

type Props = QueryEditorProps<CqlDataSource, CqlQuery, CqlOptions, CqlQuery>;

/** Editor of a query variable: CQL only; the variable's options come from the first column or __value/__text. */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const styles = useStyles2(getStyles);
  const current: CqlQuery = typeof query === 'string' ? { refId: 'variable', cql: query } : query;
  const completion = useMemo(
    () => ({ schema: datasource.schema, variables: () => datasource.variableNames() }),
    [datasource]
  );
  // Grafana re-runs the variable query on every change, so update on blur (or Shift+Enter), not on each key.
  const commit = (cql: string) => {
    if (cql !== (current.cql ?? '')) {
      onChange({ ...current, refId: current.refId || 'variable', cql, format: 'table' });
    }
  };

  return (
    <div data-testid="cql-variable-query-editor">
      <CqlCodeEditor
        value={current.cql ?? ''}
        onChange={() => {}}
        onBlur={commit}
        onRunQuery={commit}
        completion={completion}
        height={100}
      />
      <p className={styles.help}>
        The first column gives the options. Name columns <code>&quot;__value&quot;</code> and{' '}
        <code>&quot;__text&quot;</code> to give each option a value and a display text, e.g.{' '}
        <code>SELECT host_id AS &quot;__value&quot;, hostname AS &quot;__text&quot; FROM hosts</code> (CQL needs the
        quotes for names that start with an underscore). Other variables can be used, e.g. <code>WHERE dc = $dc</code>{' '}
        (text values are quoted for you).
      </p>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  help: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(0.5),
  }),
});
