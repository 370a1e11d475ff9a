/*
 * The public contract between the editors, the backend and provisioning files. Key names, defaults and allowed
 * values mirror the backend's declarations (kernel/Setting.java, query/QueryKey.java) as generated into
 * contract/settings.json and contract/query.json; src/contract.test.ts fails when they drift apart.
 */
import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

export const CONSISTENCY_LEVELS = [
  'ANY',
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_ONE',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'SERIAL',
  'LOCAL_SERIAL',
] as const;

export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number];

/** `jsonData`: settings a user types in the settings page or provisions. Every key is optional; see the defaults. */
export interface CqlOptions extends DataSourceJsonData {
  /** Comma-separated hosts, each optionally `host:port`. */
  contactPoints?: string;
  port?: number;
  keyspace?: string;
  localDatacenter?: string;
  consistency?: ConsistencyLevel;
  connectTimeoutSeconds?: number;
  queryTimeoutSeconds?: number;
  pageSize?: number;
  rowLimit?: number;
  /** Most per-partition statements in flight for a query whose IN names several partitions; 0 or 1: one statement. */
  partitionReads?: number;
  /** Refuse anything but SELECT / DESCRIBE-style reads. */
  readOnly?: boolean;
  tlsEnabled?: boolean;
  tlsServerName?: string;
  tlsSkipVerify?: boolean;
}

/** `secureJsonData`: written by the settings page, never sent back to the browser. */
export interface CqlSecureJsonData {
  username?: string;
  password?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

export type SecureJsonKey = keyof CqlSecureJsonData;

/** Defaults the backend applies when a `jsonData` key is absent (README "Configuration"). */
export const DEFAULT_OPTIONS = {
  contactPoints: '127.0.0.1',
  port: 9042,
  consistency: 'LOCAL_ONE' as ConsistencyLevel,
  connectTimeoutSeconds: 5,
  queryTimeoutSeconds: 30,
  pageSize: 5000,
  rowLimit: 1000000,
  partitionReads: 4,
  readOnly: true,
  tlsEnabled: false,
  tlsSkipVerify: false,
} as const;

export type QueryFormat = 'table' | 'time_series';
export type FillMode = 'none' | 'null' | 'previous' | 'value';
export const AGGREGATES = ['avg', 'min', 'max', 'sum', 'count', 'first', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** What the query editor sends to the backend (`DataQuery.json`), README "Query model". */
export interface CqlQuery extends DataQuery {
  /** CQL text; macros (`$__timeFilter(col)` …) stay in it and the backend expands them. */
  cql?: string;
  format?: QueryFormat;
  timeColumn?: string;
  /** Display-name template: `{{column}}` is the value column name, `{{label}}` a label value. */
  alias?: string;
  fill?: FillMode;
  fillValue?: number;
  /** Per-query override of the data source's `rowLimit`. */
  rowLimit?: number;
  /** Answer with a Grafana Live channel and tail new rows. */
  stream?: boolean;
  streamIntervalMs?: number;
  /**
   * `time_series` only: group each series' rows into buckets of this size (`30s`, `5m`, `1h`, `$__interval`) and
   * combine each bucket's values with `aggregate`; the backend does it, so alert rules get the same points.
   */
  timeGroup?: string;
  aggregate?: Aggregate;
  /**
   * `false` makes the plugin group even where the node could (Cassandra 5.0+ `GROUP BY floor()`); for debugging.
   * Absent means `true`.
   */
  timeGroupOnNode?: boolean;
  /**
   * Editor only (the backend never reads it): which editor shows the query. Absent means `code`, so queries
   * saved before the builder existed open as they were.
   */
  editorMode?: EditorMode;
  /**
   * Editor only: the builder's fields. The builder always writes the CQL it generates into `cql`, which is all
   * the backend runs; this is kept so the builder can show its fields again.
   */
  builder?: CqlBuilderState;
}

export type EditorMode = 'builder' | 'code';

export const BUILDER_OPERATORS = ['=', 'IN', '<', '<=', '>', '>='] as const;
export type BuilderOperator = (typeof BUILDER_OPERATORS)[number];

/** One `WHERE` condition of the builder: `column operator value`. */
export interface BuilderFilter {
  column: string;
  operator: BuilderOperator;
  /**
   * As typed: a literal (quoted by the column's CQL type when the CQL is generated), a dashboard variable
   * (`$sensor`, `${sensor}`), or for `IN` several of those separated by commas.
   */
  value: string;
}

/** The fields of the query builder (editor only; see `CqlQuery.builder`). Names are as stored in the schema. */
export interface CqlBuilderState {
  /** Absent: the data source's default keyspace. */
  keyspace?: string;
  table?: string;
  /** Filtered with the dashboard's time range; the time index of `time_series`. */
  timeColumn?: string;
  valueColumns?: string[];
  labelColumns?: string[];
  /** The partition key values and extra conditions on clustering columns, in the order they were added. */
  filters?: BuilderFilter[];
  /** `ORDER BY timeColumn`; only used when the time column is the first clustering column. */
  order?: 'ASC' | 'DESC';
  limit?: number;
  /** Append `ALLOW FILTERING` (only when the user asks for it). */
  allowFiltering?: boolean;
  /**
   * Written by the editor, not a field: the variables the generated CQL compares with text-like columns
   * (`sensor IN ($sensor)` for a text `sensor`). Their values are filled in as text literals even when they look
   * like numbers, since the node refuses `sensor IN (101)` for a text column.
   */
  textVariables?: string[];
}

/** `queryType` of the protocol self-test query (touches no database). */
export const SELFTEST_QUERY_TYPE = 'selftest';

/** Defaults the backend applies when a query key is absent (README "Query model"). */
export const DEFAULT_QUERY_VALUES = {
  format: 'table' as QueryFormat,
  fill: 'none' as FillMode,
  fillValue: 0,
  stream: false,
  streamIntervalMs: 1000,
  aggregate: 'avg' as Aggregate,
  timeGroupOnNode: true,
} as const;

/** The backend polls a stream no more often than this. */
export const MIN_STREAM_INTERVAL_MS = 250;

/** A new query in the editor; `format` is explicit so the editor shows what the backend will do. */
export const DEFAULT_QUERY: Partial<CqlQuery> = {
  cql: '',
  format: DEFAULT_QUERY_VALUES.format,
};

/** A column as the backend's `columns` resource describes it. */
export interface CqlColumn {
  name: string;
  /** CQL type as the node reports it, e.g. `timestamp`, `map<text, int>`. */
  type: string;
  kind: 'partition_key' | 'clustering' | 'regular' | 'static';
}

/*
 * Every contract key, listed once. The Record types make the compiler reject a list that misses a key of the
 * interface or names one it does not have; contract.test.ts compares these lists with contract/*.json.
 */
const JSON_DATA_KEY_SET: Record<Exclude<keyof CqlOptions, keyof DataSourceJsonData>, true> = {
  contactPoints: true,
  port: true,
  keyspace: true,
  localDatacenter: true,
  consistency: true,
  connectTimeoutSeconds: true,
  queryTimeoutSeconds: true,
  pageSize: true,
  rowLimit: true,
  partitionReads: true,
  readOnly: true,
  tlsEnabled: true,
  tlsServerName: true,
  tlsSkipVerify: true,
};
const SECURE_JSON_KEY_SET: Record<keyof CqlSecureJsonData, true> = {
  username: true,
  password: true,
  tlsCACert: true,
  tlsClientCert: true,
  tlsClientKey: true,
};
/** Query keys only the editor reads; the backend ignores them (README "Query editor", not "Query model"). */
type EditorOnlyQueryKey = 'editorMode' | 'builder';
const EDITOR_QUERY_KEY_SET: Record<EditorOnlyQueryKey, true> = {
  editorMode: true,
  builder: true,
};
const QUERY_KEY_SET: Record<Exclude<keyof CqlQuery, keyof DataQuery | EditorOnlyQueryKey>, true> = {
  cql: true,
  format: true,
  timeColumn: true,
  alias: true,
  fill: true,
  fillValue: true,
  rowLimit: true,
  stream: true,
  streamIntervalMs: true,
  timeGroup: true,
  aggregate: true,
  timeGroupOnNode: true,
};

export const JSON_DATA_KEYS = Object.keys(JSON_DATA_KEY_SET);
export const SECURE_JSON_KEYS = Object.keys(SECURE_JSON_KEY_SET);
/** The keys the backend reads (README "Query model"). */
export const QUERY_KEYS = Object.keys(QUERY_KEY_SET);
/** The keys only the editor reads (README "Query editor"). */
export const EDITOR_QUERY_KEYS = Object.keys(EDITOR_QUERY_KEY_SET);
