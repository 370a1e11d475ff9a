/*
 * The query editor, laid out as Grafana's own SQL editors (PostgreSQL, MySQL): a header with the format, Run query
 * and the Builder / Code switch, then the builder's rows or the code editor, then the output options of this
 * data source in a collapsible "Options" row as Grafana's Prometheus and Loki editors have them.
 */
import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import {
  EditorField,
  EditorHeader,
  EditorRow,
  EditorRows,
  EditorSwitch,
  FlexItem,
  InlineSelect,
  QueryEditorModeToggle,
  QueryEditorMode,
  QueryHeaderSwitch,
  QueryOptionGroup,
  Space,
} from '@grafana/plugin-ui';
import { Alert, Button, ConfirmModal, Input, Select, useStyles2 } from '@grafana/ui';

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
    avg: 'Mean of the interval',
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

/** The collapsed Options row's summary: what differs from the defaults, as Grafana's Prometheus editor shows it. */
export function optionsSummary(query: CqlQuery, mode: EditorMode): string[] {
  const out: string[] = [];
  if (mode === 'code' && query.timeColumn) {
    out.push(`Time column: ${query.timeColumn}`);
  }
  if (query.alias) {
    out.push(`Alias: ${query.alias}`);
  }
  const fill = query.fill ?? DEFAULT_QUERY_VALUES.fill;
  if (fill !== DEFAULT_QUERY_VALUES.fill) {
    out.push(`Fill: ${fill === 'value' ? (query.fillValue ?? DEFAULT_QUERY_VALUES.fillValue) : fill}`);
  }
  if ((query.format ?? DEFAULT_QUERY_VALUES.format) === 'time_series' && query.timeGroup) {
    out.push(`Downsample: ${query.aggregate ?? DEFAULT_QUERY_VALUES.aggregate} per ${query.timeGroup}`);
  }
  if (query.rowLimit !== undefined) {
    out.push(`Row limit: ${query.rowLimit}`);
  }
  if (query.stream) {
    out.push(`Stream: every ${query.streamIntervalMs ?? DEFAULT_QUERY_VALUES.streamIntervalMs} ms`);
  }
  return out.length ? out : ['Alias, fill, downsampling, row limit, streaming'];
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
      <EditorHeader>
        <InlineSelect
          label="Format"
          aria-label="Format"
          value={format}
          options={FORMAT_OPTIONS}
          onChange={(v) => update({ format: v.value }, true)}
        />
        <QueryHeaderSwitch
          label="Preview"
          value={showPreview}
          onChange={(e) => setShowPreview(e.currentTarget.checked)}
        />
        <FlexItem grow={1} />
        <Button
          size="sm"
          icon="play"
          variant="secondary"
          tooltip="Shift+Enter in the code editor runs the query too"
          onClick={() => onRunQuery()}
        >
          Run query
        </Button>
        <QueryEditorModeToggle
          mode={mode === 'builder' ? QueryEditorMode.Builder : QueryEditorMode.Code}
          onChange={(m) => void switchMode(m === QueryEditorMode.Builder ? 'builder' : 'code')}
        />
      </EditorHeader>
      <Space v={0.5} />

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

      <Space v={0.5} />
      <EditorRows>
        <EditorRow>
          <QueryOptionGroup title="Options" collapsedInfo={optionsSummary(query, mode)}>
            {mode === 'code' && (
              <EditorField
                label="Time column"
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
              </EditorField>
            )}
            <EditorField
              label="Alias"
              htmlFor="cql-alias"
              tooltip="Series name template: {{column}} is the value column, {{label}} a label value, e.g. {{host}} {{column}}"
            >
              <Input
                id="cql-alias"
                width={24}
                placeholder="{{column}}"
                value={query.alias ?? ''}
                onChange={(e) => update({ alias: e.currentTarget.value || undefined })}
                onBlur={() => onRunQuery()}
              />
            </EditorField>
            <EditorField
              label="Fill"
              htmlFor="cql-fill"
              tooltip="How Time series fills missing cells when it turns rows into one series per label set"
            >
              {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
              <Select
                inputId="cql-fill"
                width={16}
                options={FILL_OPTIONS}
                value={fill}
                onChange={(v) => update({ fill: v.value }, true)}
              />
            </EditorField>
            {fill === 'value' && (
              <EditorField label="Fill value" htmlFor="cql-fill-value">
                <Input
                  id="cql-fill-value"
                  type="number"
                  width={12}
                  placeholder={String(DEFAULT_QUERY_VALUES.fillValue)}
                  value={query.fillValue ?? ''}
                  onChange={(e) => update({ fillValue: optionalNumber(e.currentTarget.value) })}
                  onBlur={() => onRunQuery()}
                />
              </EditorField>
            )}
            {format === 'time_series' && (
              <EditorField
                label="Downsample"
                htmlFor="cql-time-group"
                tooltip="One point per interval and series: each series' rows in one interval are combined with the aggregate (done by the plugin after the read, so alert rules get the same points). $__interval follows the panel width. Not a CQL GROUP BY."
                invalid={Boolean(timeGroupMessage)}
                error={timeGroupMessage}
              >
                <Input
                  id="cql-time-group"
                  width={16}
                  placeholder="off, or 5m"
                  value={query.timeGroup ?? ''}
                  onChange={(e) => update({ timeGroup: e.currentTarget.value.trim() || undefined })}
                  onBlur={() => onRunQuery()}
                />
              </EditorField>
            )}
            {format === 'time_series' && query.timeGroup && (
              <EditorField label="Aggregate" htmlFor="cql-aggregate" tooltip="How an interval's values combine">
                {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
                <Select
                  inputId="cql-aggregate"
                  width={12}
                  options={AGGREGATE_OPTIONS}
                  value={query.aggregate ?? DEFAULT_QUERY_VALUES.aggregate}
                  onChange={(v) => update({ aggregate: v.value }, true)}
                />
              </EditorField>
            )}
            <EditorField
              label="Row limit"
              htmlFor="cql-row-limit"
              tooltip="Rows read at most for this query; empty uses the data source's row limit"
              invalid={Boolean(rowLimitMessage)}
              error={rowLimitMessage}
            >
              <Input
                id="cql-row-limit"
                type="number"
                width={16}
                placeholder="data source's"
                value={query.rowLimit ?? ''}
                onChange={(e) => update({ rowLimit: optionalNumber(e.currentTarget.value) })}
                onBlur={() => onRunQuery()}
              />
            </EditorField>
            <EditorField
              label="Stream"
              htmlFor="cql-stream"
              tooltip="Keep the panel live: the backend polls for rows newer than the last one seen"
            >
              <EditorSwitch
                id="cql-stream"
                value={stream}
                onChange={(e) => update({ stream: e.currentTarget.checked }, true)}
              />
            </EditorField>
            {stream && (
              <EditorField
                label="Every (ms)"
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
              </EditorField>
            )}
          </QueryOptionGroup>
        </EditorRow>
      </EditorRows>

      {showPreview && (
        <>
          <Space v={0.5} />
          <pre className={styles.preview} data-testid="cql-preview" aria-label="Query preview">
            {preview}
          </pre>
        </>
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
  preview: css({
    margin: 0,
    whiteSpace: 'pre-wrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
