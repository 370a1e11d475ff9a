/*
 * What the builder needs to know about CQL types: which columns can be a time index, a value, a label, and how
 * a literal of each type is written. Types are the text the `columns` resource reports (`timestamp`,
 * `frozen<list<int>>`, `vector<float, 3>`).
 */
import { CqlColumn } from '../types';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'int', 'bigint', 'varint', 'counter']);
const DECIMAL_TYPES = new Set(['float', 'double', 'decimal']);
/** Columns the backend turns into labels of a time series (text-like and boolean fields). */
const LABEL_TYPES = new Set(['ascii', 'text', 'varchar', 'inet', 'uuid', 'timeuuid', 'boolean']);
/** Types whose literals are written in single quotes. */
const QUOTED_TYPES = new Set(['ascii', 'text', 'varchar', 'inet', 'date', 'time']);

/** The type without `frozen<…>` and in lower case; `list<int>` stays as it is. */
export function baseType(type: string | undefined): string {
  let t = (type ?? '').trim().toLowerCase();
  const frozen = /^frozen\s*<(.*)>$/.exec(t);
  if (frozen) {
    t = frozen[1].trim();
  }
  return t;
}

export function isIntegerType(type: string | undefined): boolean {
  return INTEGER_TYPES.has(baseType(type));
}

export function isNumericType(type: string | undefined): boolean {
  const t = baseType(type);
  return INTEGER_TYPES.has(t) || DECIMAL_TYPES.has(t);
}

/**
 * The types the backend accepts as the time index of a time series: `timestamp` and `date`, and `int` / `bigint`
 * holding epoch time (seconds, milliseconds, … told by magnitude; README "Formats").
 */
export function isTimeIndexType(type: string | undefined): boolean {
  const t = baseType(type);
  return t === 'timestamp' || t === 'date' || isEpochType(t);
}

/** `int` and `bigint`: a time index only as an epoch number, and only when named as the time column. */
export function isEpochType(type: string | undefined): boolean {
  const t = baseType(type);
  return t === 'int' || t === 'bigint';
}

export function isLabelType(type: string | undefined): boolean {
  return LABEL_TYPES.has(baseType(type));
}

/** A literal of this type is a string in single quotes (text, inet, date, time). */
export function isQuotedType(type: string | undefined): boolean {
  return QUOTED_TYPES.has(baseType(type));
}

/** Columns with those matching `first` ahead of the rest, each group in schema order. */
export function preferring(columns: CqlColumn[], first: (c: CqlColumn) => boolean): CqlColumn[] {
  return [...columns.filter(first), ...columns.filter((c) => !first(c))];
}

/** Time column candidates: timestamp, then date, then timeuuid columns, then the rest. */
export function timeColumnOrder(columns: CqlColumn[]): CqlColumn[] {
  const rank = (c: CqlColumn) => ['timestamp', 'date', 'timeuuid'].indexOf(baseType(c.type));
  const ranked = (r: number) => columns.filter((c) => rank(c) === r);
  return [...ranked(0), ...ranked(1), ...ranked(2), ...ranked(-1)];
}

/** The first clustering column, the only one `ORDER BY` may name on its own. */
export function firstClusteringColumn(columns: CqlColumn[]): CqlColumn | undefined {
  return columns.find((c) => c.kind === 'clustering');
}

export function partitionKeyColumns(columns: CqlColumn[]): CqlColumn[] {
  return columns.filter((c) => c.kind === 'partition_key');
}
