import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import {
  Alert,
  Button,
  ConfirmModal,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Select,
  useStyles2,
} from '@grafana/ui';

import { applyBuilder, initialBuilderState, isHandEdited } from '../builder/applyBuilder';
import type { CqlDataSource } from '../datasource';
import {
  Aggregate,
  AGGREGATES,
  CqlBuilderState,
  CqlColumn,
  CqlOptions,
  CqlQuery,
  DEFAULT_QUERY_VALUES,
  EditorMode,
  FillMode,
  MIN_STREAM_INTERVAL_MS,
  QueryFormat,
  SELFTEST_QUERY_TYPE,
} from '../types';
import { CqlCodeEditor } from './CqlCodeEditor';
import { QueryBuilder } from './QueryBuilder';
import { TimeColumnPicker } from './TimeColumnPicker';

export type Props = QueryEditorProps<CqlDataSource, CqlQuery, CqlOptions>;

export const FORMAT_OPTIONS: Array<SelectableValue<QueryFormat>> = [
  {
    label: 'Time series',
    value: 'time_series',
    description: 'Wide frame with one series per label set (graphs, alerting)',
  },
  { label: 'Table', value: 'table', description: 'Rows as the node returns them' },
];

export const FILL_OPTIONS: Array<SelectableValue<FillMode>> = [
  { label: 'None', value: 'none', description: 'Leave missing points out' },
  { label: 'Null', value: 'null', description: 'Missing points are null (gaps in graphs)' },
  { label: 'Previous', value: 'previous', description: 'Repeat the previous value' },
  { label: 'Value', value: 'value', description: 'A fixed value' },
];

export const MODE_OPTIONS: Array<SelectableValue<EditorMode>> = [
  { label: 'Builder', value: 'builder', description: 'Pick a table and columns; the CQL is generated' },
  { label: 'Code', value: 'code', description: 'Write the CQL yourself' },
];

const LABEL_WIDTH = 14;

/** '' means "not set" (the backend's default applies); anything else is the number typed. */
function optionalNumber(text: string): number | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function rowLimitError(rowLimit: number | undefined): string | undefined {
  if (rowLimit !== undefined && (!Number.isInteger(rowLimit) || rowLimit < 1)) {
    return 'Row limit must be a whole number of at least 1';
  }
  return undefined;
}

export const AGGREGATE_OPTIONS: Array<SelectableValue<Aggregate>> = AGGREGATES.map((a) => ({
  label: a,
  value: a,
  description: {
    avg: 'Mean of the bucket',
    min: 'Smallest value',
    max: 'Largest value',
    sum: 'Sum of the values',
    count: 'How many values (nulls not counted)',
    first: 'Earliest value by time',
    last: 'Latest value by time',
  }[a],
}));

/** The durations the backend accepts for `timeGroup` (README "Query model"); variables are filled in first. */
export function timeGroupError(text: string | undefined): string | undefined {
  const t = text?.trim() ?? '';
  if (t === '' || t.includes('$') || t.toLowerCase() === 'auto' || /^[1-9]\d{0,8}(ms|s|m|h|d|w)$/.test(t)) {
    return undefined;
  }
  return 'A duration such as 500ms, 30s, 5m, 1h, 1d, or $__interval';
}

export function streamIntervalError(ms: number | undefined): string | undefined {
  if (ms !== undefined && (!Number.isFinite(ms) || ms < MIN_STREAM_INTERVAL_MS)) {
    return `Stream interval must be at least ${MIN_STREAM_INTERVAL_MS} ms`;
  }
  return undefined;
}

export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const styles = useStyles2(getStyles);
  const [showPreview, setShowPreview] = useState(false);
  /** The builder's fields waiting for the user to confirm that hand-written CQL may be replaced. */
  const [pendingBuilder, setPendingBuilder] = useState<{ state: CqlBuilderState; columns: CqlColumn[] }>();

  const mode: EditorMode = query.editorMode ?? 'code';

  const format = query.format ?? DEFAULT_QUERY_VALUES.format;
  const fill = query.fill ?? DEFAULT_QUERY_VALUES.fill;
  const stream = query.stream ?? DEFAULT_QUERY_VALUES.stream;

  const update = (patch: Partial<CqlQuery>, run = false) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  const onBuilderChange = (next: CqlBuilderState, columns: CqlColumn[], run: boolean) => {
    onChange(applyBuilder(query, next, columns, datasource.defaultKeyspace));
    if (run) {
      onRunQuery();
    }
  };

  const enterBuilder = (state: CqlBuilderState, columns: CqlColumn[]) => {
    setPendingBuilder(undefined);
    onBuilderChange(state, columns, true);
  };

  const switchMode = async (target: EditorMode) => {
    if (target === mode) {
      return;
    }
    if (target === 'code') {
      // the CQL stays as the builder wrote it, ready to be edited
      update({ editorMode: 'code' });
      return;
    }
    const state = initialBuilderState(query, datasource.defaultKeyspace);
    const keyspace = state.keyspace || datasource.defaultKeyspace;
    const columns = keyspace && state.table ? await datasource.schema.getColumns(keyspace, state.table) : [];
    if (isHandEdited(query, columns, datasource.defaultKeyspace)) {
      setPendingBuilder({ state, columns });
    } else {
      enterBuilder(state, columns);
    }
  };

  const completion = useMemo(
    () => ({ schema: datasource.schema, variables: () => datasource.variableNames() }),
    [datasource]
  );

  const rowLimitMessage = rowLimitError(query.rowLimit);
  const timeGroupMessage = timeGroupError(query.timeGroup);
  const streamMessage = streamIntervalError(query.streamIntervalMs);
  const preview = showPreview ? datasource.previewCql(query) : '';

  return (
    <div data-testid="cql-query-editor">
      {query.queryType === SELFTEST_QUERY_TYPE && (
        <Alert severity="info" title="Protocol self-test">
          This query returns one frame with every field type Grafana decodes; it does not touch the database.
        </Alert>
      )}
      <div className={styles.modeRow}>
        <RadioButtonGroup
          aria-label="Editor mode"
          size="sm"
          options={MODE_OPTIONS}
          value={mode}
          onChange={(m) => void switchMode(m)}
        />
      </div>
      <InlineFieldRow>
        <InlineField label="Format" labelWidth={LABEL_WIDTH} htmlFor="cql-format" tooltip="Result shape">
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
          <Select
            inputId="cql-format"
            width={18}
            options={FORMAT_OPTIONS}
            value={format}
            onChange={(v) => update({ format: v.value }, true)}
          />
        </InlineField>
        {mode === 'code' && (
          <InlineField
            label="Time column"
            labelWidth={LABEL_WIDTH}
            htmlFor="cql-time-column"
            tooltip="Time index for Time series and streaming: a timestamp or date column of the tables the query names (or an int/bigint holding epoch time), or any name typed; empty means the first timestamp or date column"
          >
            <TimeColumnPicker
              inputId="cql-time-column"
              value={query.timeColumn}
              cql={query.cql ?? ''}
              schema={datasource.schema}
              onChange={(timeColumn) => update({ timeColumn }, true)}
            />
          </InlineField>
        )}
        <InlineField
          label="Alias"
          labelWidth={10}
          htmlFor="cql-alias"
          tooltip="Series name template: {{column}} is the value column, {{label}} a label value, e.g. {{host}} {{column}}"
        >
          <Input
            id="cql-alias"
            width={26}
            placeholder="{{column}}"
            value={query.alias ?? ''}
            onChange={(e) => update({ alias: e.currentTarget.value || undefined })}
            onBlur={() => onRunQuery()}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Fill"
          labelWidth={LABEL_WIDTH}
          htmlFor="cql-fill"
          tooltip="How Time series fills missing cells when it turns rows into one series per label set"
        >
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
          <Select
            inputId="cql-fill"
            width={18}
            options={FILL_OPTIONS}
            value={fill}
            onChange={(v) => update({ fill: v.value }, true)}
          />
        </InlineField>
        {fill === 'value' && (
          <InlineField label="Fill value" labelWidth={12} htmlFor="cql-fill-value">
            <Input
              id="cql-fill-value"
              type="number"
              width={12}
              placeholder={String(DEFAULT_QUERY_VALUES.fillValue)}
              value={query.fillValue ?? ''}
              onChange={(e) => update({ fillValue: optionalNumber(e.currentTarget.value) })}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        )}
        {format === 'time_series' && (
          <InlineField
            label="Group by"
            labelWidth={10}
            htmlFor="cql-time-group"
            tooltip="Time buckets: each series' rows in one bucket become one point (done by the plugin, so alert rules get the same points). $__interval follows the panel width."
            invalid={Boolean(timeGroupMessage)}
            error={timeGroupMessage}
          >
            <Input
              id="cql-time-group"
              width={14}
              placeholder="none"
              value={query.timeGroup ?? ''}
              onChange={(e) => update({ timeGroup: e.currentTarget.value.trim() || undefined })}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        )}
        {format === 'time_series' && query.timeGroup && (
          <InlineField
            label="Aggregate"
            labelWidth={11}
            htmlFor="cql-aggregate"
            tooltip="How a bucket's values combine"
          >
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
            <Select
              inputId="cql-aggregate"
              width={12}
              options={AGGREGATE_OPTIONS}
              value={query.aggregate ?? DEFAULT_QUERY_VALUES.aggregate}
              onChange={(v) => update({ aggregate: v.value }, true)}
            />
          </InlineField>
        )}
        <InlineField
          label="Row limit"
          labelWidth={LABEL_WIDTH}
          htmlFor="cql-row-limit"
          tooltip="Rows read at most for this query; empty uses the data source's row limit"
          invalid={Boolean(rowLimitMessage)}
          error={rowLimitMessage}
        >
          <Input
            id="cql-row-limit"
            type="number"
            width={14}
            placeholder="data source"
            value={query.rowLimit ?? ''}
            onChange={(e) => update({ rowLimit: optionalNumber(e.currentTarget.value) })}
            onBlur={() => onRunQuery()}
          />
        </InlineField>
        <InlineField
          label="Stream"
          labelWidth={10}
          htmlFor="cql-stream"
          tooltip="Keep the panel live: the backend polls for rows newer than the last one seen"
        >
          <InlineSwitch
            id="cql-stream"
            value={stream}
            onChange={(e) => update({ stream: e.currentTarget.checked }, true)}
          />
        </InlineField>
        {stream && (
          <InlineField
            label="Every (ms)"
            labelWidth={12}
            htmlFor="cql-stream-interval"
            invalid={Boolean(streamMessage)}
            error={streamMessage}
          >
            <Input
              id="cql-stream-interval"
              type="number"
              width={12}
              min={MIN_STREAM_INTERVAL_MS}
              placeholder={String(DEFAULT_QUERY_VALUES.streamIntervalMs)}
              value={query.streamIntervalMs ?? ''}
              onChange={(e) => update({ streamIntervalMs: optionalNumber(e.currentTarget.value) })}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {mode === 'builder' ? (
        <QueryBuilder
          state={query.builder ?? {}}
          cql={query.cql ?? ''}
          schema={datasource.schema}
          onChange={onBuilderChange}
          onRunQuery={() => onRunQuery()}
        />
      ) : (
        <CqlCodeEditor
          value={query.cql ?? ''}
          onChange={(cql) => {
            if (cql !== (query.cql ?? '')) {
              update({ cql });
            }
          }}
          onRunQuery={() => onRunQuery()}
          completion={completion}
        />
      )}
      <div className={styles.footer}>
        <Button size="sm" icon="play" variant="secondary" onClick={() => onRunQuery()}>
          Run query
        </Button>
        <span className={styles.hint}>
          {mode === 'code'
            ? 'Shift+Enter runs the query. Macros such as $__timeFilter(ts) are expanded by the backend.'
            : 'Switch to Code to edit the generated CQL by hand.'}
        </span>
        <Button
          size="sm"
          fill="text"
          icon={showPreview ? 'angle-down' : 'angle-right'}
          aria-expanded={showPreview}
          onClick={() => setShowPreview(!showPreview)}
        >
          Query preview
        </Button>
      </div>
      {showPreview && (
        <pre className={styles.preview} data-testid="cql-preview" aria-label="Query preview">
          {preview}
        </pre>
      )}
      <ConfirmModal
        isOpen={pendingBuilder !== undefined}
        title="Replace the CQL with the builder's?"
        body="The CQL was edited by hand. The builder generates its own CQL from its fields, so those edits will be replaced. Switch to Code afterwards to edit the generated CQL again."
        confirmText="Use the builder"
        dismissText="Keep the code"
        icon="exclamation-triangle"
        onConfirm={() => pendingBuilder && enterBuilder(pendingBuilder.state, pendingBuilder.columns)}
        onDismiss={() => setPendingBuilder(undefined)}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  modeRow: css({
    display: 'flex',
    justifyContent: 'flex-end',
    marginBottom: theme.spacing(0.5),
  }),
  footer: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  }),
  hint: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    flexGrow: 1,
  }),
  preview: css({
    marginTop: theme.spacing(0.5),
    whiteSpace: 'pre-wrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
