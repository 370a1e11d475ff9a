/*
 * The query builder's CQL, generated from its fields and the table's columns. Pure: the same fields and columns
 * always give the same text, which is how the editor tells whether the CQL was edited by hand since.
 */
import { BuilderFilter, CqlBuilderState, CqlColumn } from '../types';
import { formatLiteral, plainVariableName, quoteIdentifier, splitInValues } from './cqlLiterals';
import { baseType, firstClusteringColumn, isQuotedType, partitionKeyColumns } from './cqlTypes';

export interface BuiltCql {
  /** the CQL text; empty while no table is chosen */
  cql: string;
  /** partition key columns without an `=` / `IN` value (names as stored) */
  missingPartitionKeys: string[];
  /** what the user should fix or know; the CQL is generated anyway */
  warnings: string[];
  /** whether `ORDER BY` was written (the time column is the first clustering column) */
  ordered: boolean;
  /**
   * Variables written bare (`IN ($sensor)`) next to a text-like column: their values must be filled in as text
   * literals even when they look like numbers (see interpolateCql), since the node refuses `sensor IN (101)` for
   * a text column.
   */
  textVariables: string[];
}

/**
 * The condition that restricts the time column to the dashboard's range, by its type: `$__timeFilter` (epoch
 * milliseconds, right for `timestamp` and a `bigint` of milliseconds), `$__unixEpochFilter` for an `int` (epoch
 * seconds: an int cannot hold milliseconds of this era), the day buckets for a `date`, the timeuuid bounds for a
 * `timeuuid`.
 */
export function timeCondition(column: string, type: string | undefined): string {
  const name = quoteIdentifier(column);
  switch (baseType(type)) {
    case 'date':
      return `${name} IN ($__timeBuckets(day))`;
    case 'int':
      return `$__unixEpochFilter(${name})`;
    case 'timeuuid':
      return `${name} >= minTimeuuid($__timeFrom()) AND ${name} <= maxTimeuuid($__timeTo())`;
    default:
      return `$__timeFilter(${name})`;
  }
}

/** The time condition makes an `IN` on this partition key column (a day-bucket `date` key). */
function timeCoversPartitionKey(state: CqlBuilderState, column: CqlColumn): boolean {
  return state.timeColumn === column.name && baseType(column.type) === 'date';
}

function condition(
  filter: BuilderFilter,
  type: string | undefined,
  problems: string[],
  textVariables: Set<string>
): string | undefined {
  const name = quoteIdentifier(filter.column);
  const literal = (raw: string) => {
    const variable = plainVariableName(raw);
    if (variable && isQuotedType(type)) {
      textVariables.add(variable);
    }
    const l = formatLiteral(raw, type);
    if (l.problem) {
      problems.push(`${filter.column}: ${l.problem}`);
    }
    return l.cql;
  };
  if (filter.operator === 'IN') {
    const items = splitInValues(filter.value);
    return items.length ? `${name} IN (${items.map(literal).join(', ')})` : undefined;
  }
  return filter.value.trim() === '' ? undefined : `${name} ${filter.operator} ${literal(filter.value)}`;
}

function hasValue(filter: BuilderFilter): boolean {
  return filter.operator === 'IN' ? splitInValues(filter.value).length > 0 : filter.value.trim() !== '';
}

/**
 * Generates the builder's CQL. `columns` are the table's columns as the schema resource lists them (key columns
 * in key order); `defaultKeyspace` is the data source's, left out of the table name so the query follows it.
 */
export function buildCql(state: CqlBuilderState, columns: CqlColumn[], defaultKeyspace?: string): BuiltCql {
  const warnings: string[] = [];
  if (!state.table) {
    return { cql: '', missingPartitionKeys: [], warnings, ordered: false, textVariables: [] };
  }
  const typeOf = (name: string) => columns.find((c) => c.name === name)?.type;
  const textVariables = new Set<string>();
  const filters = state.filters ?? [];

  const selected = Array.from(
    new Set([state.timeColumn, ...(state.labelColumns ?? []), ...(state.valueColumns ?? [])].filter(Boolean))
  ) as string[];
  const keyspace = state.keyspace || defaultKeyspace;
  const table =
    keyspace && keyspace !== defaultKeyspace
      ? `${quoteIdentifier(keyspace)}.${quoteIdentifier(state.table)}`
      : quoteIdentifier(state.table);

  const conditions: string[] = [];
  const partitionKeys = partitionKeyColumns(columns);
  const missingPartitionKeys: string[] = [];
  const partitionNames = new Set(partitionKeys.map((c) => c.name));
  // partition key values first, in key order
  for (const key of partitionKeys) {
    if (timeCoversPartitionKey(state, key)) {
      continue;
    }
    const own = filters.filter((f) => f.column === key.name);
    const restricting = own.find((f) => (f.operator === '=' || f.operator === 'IN') && hasValue(f));
    if (!restricting) {
      missingPartitionKeys.push(key.name);
    }
    for (const f of own) {
      const c = condition(f, key.type, warnings, textVariables);
      if (c) {
        conditions.push(c);
      }
    }
  }
  if (state.timeColumn) {
    conditions.push(timeCondition(state.timeColumn, typeOf(state.timeColumn)));
  }
  for (const f of filters) {
    if (!partitionNames.has(f.column)) {
      const c = condition(f, typeOf(f.column), warnings, textVariables);
      if (c) {
        conditions.push(c);
      }
    }
  }

  const lines = [`SELECT ${selected.length ? selected.map(quoteIdentifier).join(', ') : '*'}`, `FROM ${table}`];
  if (conditions.length) {
    lines.push(`WHERE ${conditions.join('\n  AND ')}`);
  }
  const ordered = Boolean(state.order && state.timeColumn && firstClusteringColumn(columns)?.name === state.timeColumn);
  if (ordered) {
    lines.push(`ORDER BY ${quoteIdentifier(state.timeColumn!)} ${state.order}`);
  }
  if (state.limit !== undefined && Number.isInteger(state.limit) && state.limit > 0) {
    lines.push(`LIMIT ${state.limit}`);
  }
  if (state.allowFiltering) {
    lines.push('ALLOW FILTERING');
  }

  if (missingPartitionKeys.length) {
    const names = missingPartitionKeys.join(', ');
    warnings.unshift(
      `No = or IN value for partition key ${missingPartitionKeys.length > 1 ? 'columns' : 'column'} ${names}: ` +
        'every partition key column needs one for an efficient query. Without, the node reads every partition, ' +
        (state.allowFiltering
          ? 'which ALLOW FILTERING permits but can be slow.'
          : 'and refuses unless ALLOW FILTERING is ticked.')
    );
    if (ordered) {
      warnings.push('ORDER BY needs every partition key column restricted with = or IN.');
    }
  }
  return { cql: lines.join('\n'), missingPartitionKeys, warnings, ordered, textVariables: [...textVariables].sort() };
}
