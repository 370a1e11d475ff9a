/*
 * How the builder's fields reach the query: the generated CQL always goes into `cql` (the only text the backend
 * runs), `timeColumn` follows the builder's time column, and `format` switches between table and time series when
 * the builder's fields change what the result can be, so a format the user picked by hand stays until then.
 */
import { referencedTables } from '../completion/suggest';
import { CqlBuilderState, CqlColumn, CqlQuery } from '../types';
import { buildCql } from './buildCql';
import { isTimeIndexType } from './cqlTypes';

/** The builder's time column, when it can be the time index of a time series (timestamp or date). */
export function timeIndexColumn(state: CqlBuilderState | undefined, columns: CqlColumn[]): string | undefined {
  const name = state?.timeColumn;
  if (!name) {
    return undefined;
  }
  const column = columns.find((c) => c.name === name);
  // without a schema the builder cannot tell; trust the user's choice
  return !column || isTimeIndexType(column.type) ? name : undefined;
}

/** A time column and at least one value column: the fields of a time series. */
export function isTimeSeriesShape(state: CqlBuilderState | undefined, columns: CqlColumn[]): boolean {
  return Boolean(timeIndexColumn(state, columns) && state?.valueColumns?.length);
}

/** The query with the builder's fields `next`, the CQL generated from them, time column and format to match. */
export function applyBuilder(
  query: CqlQuery,
  next: CqlBuilderState,
  columns: CqlColumn[],
  defaultKeyspace?: string
): CqlQuery {
  const built = buildCql(next, columns, defaultKeyspace);
  // recomputed from the fields and the column types every time
  const fields: CqlBuilderState = { ...next };
  delete fields.textVariables;
  const out: CqlQuery = {
    ...query,
    editorMode: 'builder',
    builder: built.textVariables.length ? { ...fields, textVariables: built.textVariables } : fields,
    cql: built.cql,
    timeColumn: timeIndexColumn(next, columns),
  };
  const before = isTimeSeriesShape(query.builder, columns);
  const after = isTimeSeriesShape(next, columns);
  if (before !== after) {
    out.format = after ? 'time_series' : 'table';
  }
  return out;
}

/**
 * Whether switching to the builder would throw away CQL: there is text, and it is not what the builder's fields
 * generate (typed in code mode, or written before the builder existed).
 */
export function isHandEdited(query: CqlQuery, columns: CqlColumn[], defaultKeyspace?: string): boolean {
  const cql = query.cql ?? '';
  if (cql.trim() === '') {
    return false;
  }
  return !query.builder || buildCql(query.builder, columns, defaultKeyspace).cql !== cql;
}

/**
 * The variables whose values go in as text literals (see `CqlBuilderState.textVariables`): kept while the query
 * has builder fields, also in code mode, so switching modes never changes what the same CQL sends.
 */
export function textVariablesOf(query: CqlQuery): string[] {
  return query.builder?.textVariables ?? [];
}

/** The builder's fields for a query that has none: the table the CQL names, if any, else the default keyspace. */
export function initialBuilderState(query: CqlQuery, defaultKeyspace?: string): CqlBuilderState {
  if (query.builder) {
    return query.builder;
  }
  const [named] = referencedTables(query.cql ?? '', defaultKeyspace);
  return named ? { keyspace: named.keyspace, table: named.table } : { keyspace: defaultKeyspace };
}
