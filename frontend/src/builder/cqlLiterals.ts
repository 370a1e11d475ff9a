/*
 * Writing names and values into generated CQL so that what the user typed is always read back as exactly one
 * name or one value: identifiers are double-quoted when CQL would otherwise fold or misread them, literals are
 * quoted by the column's type with embedded quotes doubled, and only text that has been checked to be a number,
 * boolean, uuid, blob or duration goes in bare.
 */
import { isCqlNumber, quoteCqlString } from '../interpolation';
import { baseType } from './cqlTypes';

/*
 * Reserved words: the union of the reserved-keyword lists of Cassandra 3.x-5.0 and ScyllaDB. Quoting a lower-case
 * name that did not need it is harmless ("ts" is ts), so the list errs on the long side.
 */
const RESERVED = new Set(
  (
    'add allow alter and any apply asc authorize batch begin by columnfamily create default delete desc describe ' +
    'drop each_quorum entries execute for from full grant if in index inet infinity insert into is keyspace ' +
    'keyspaces limit local_one local_quorum materialized mbean mbeans modify nan norecursive not null of on one ' +
    'or order password primary quorum rename replace revoke schema select set table three to token truncate two ' +
    'unlogged unset update use using view where with'
  ).split(' ')
);

/** How to write a schema name in CQL: bare when CQL reads it back unchanged, double-quoted otherwise. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `$var`, `${var}`, `[[var]]`: the references interpolation.ts quotes as text when written inside quotes. */
const PLAIN_VARIABLE = /^(\$\w+|\$\{\w+\}|\[\[\w+\]\])$/;
/** `'$var'`: a plain reference in quotes, which interpolation.ts always fills in as text. */
const QUOTED_VARIABLE = /^'(\$\w+|\$\{\w+\}|\[\[\w+\]\])'$/;
/** A reference with an explicit Grafana format (`${var:raw}`, `[[var:csv]]`), honoured as written. */
const FORMATTED_VARIABLE = /^(\$\{\w+:\w+\}|\[\[\w+:\w+\]\])$/;
/** A backend macro (`$__timeFrom`, `$__timeBuckets(day)`, `$__timeBuckets(day, 'yyyyMMdd')`). */
const MACRO = /^\$__\w+(\((?:[^()']|'(?:[^']|'')*')*\))?$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d+$/;
const BLOB = /^0x[0-9a-f]*$/i;
const DURATION = /^-?(\d+(y|mo|w|d|h|ms|us|µs|ns|m|s))+$/i;

/** The variable's name when `text` is a plain reference (`$var`, `${var}`, `[[var]]`), else undefined. */
export function plainVariableName(text: string): string | undefined {
  const t = text.trim();
  return PLAIN_VARIABLE.test(t) ? t.replace(/^\$\{?|^\[\[|\}$|\]\]$/g, '') : undefined;
}

export function isVariableReference(text: string): boolean {
  return PLAIN_VARIABLE.test(text) || FORMATTED_VARIABLE.test(text);
}

export function isMacro(text: string): boolean {
  return MACRO.test(text);
}

export interface Literal {
  /** the CQL text */
  cql: string;
  /** set when the value does not fit the column's type (it is then written as a quoted string) */
  problem?: string;
}

/**
 * One value typed in the builder, written for a column of CQL type `type` (undefined when the schema is not
 * known). Macros and variables are left for the backend and Grafana: a variable is written as Grafana users write
 * it (`$var`, so `IN ($var)` takes a multi-value variable), and interpolation.ts turns each of its values into one
 * literal; `'$var'` typed with the quotes stays so, which makes every value text even when it looks like a number.
 */
export function formatLiteral(raw: string, type: string | undefined): Literal {
  const text = raw.trim();
  if (isMacro(text) || FORMATTED_VARIABLE.test(text)) {
    return { cql: text };
  }
  if (PLAIN_VARIABLE.test(text)) {
    // Grafana's usual form (`host IN ($host)`): interpolation.ts makes each value one literal
    return { cql: text };
  }
  if (QUOTED_VARIABLE.test(text)) {
    // '$zip' typed by the user: always text, even for a value that looks like a number
    return { cql: text };
  }
  const t = baseType(type);
  const quoted = { cql: quoteCqlString(text) };
  const mismatch = (what: string): Literal => ({ ...quoted, problem: `${text} is not ${what} (${t})` });
  if (t === '') {
    // no schema: numbers bare, everything else text, as interpolation does
    return isCqlNumber(text) ? { cql: text } : quoted;
  }
  switch (t) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'varint':
    case 'counter':
      return INTEGER.test(text) ? { cql: text } : mismatch('a whole number');
    case 'float':
    case 'double':
    case 'decimal':
      return isCqlNumber(text) ? { cql: text } : mismatch('a number');
    case 'boolean':
      return /^(true|false)$/i.test(text) ? { cql: text.toLowerCase() } : mismatch('true or false');
    case 'uuid':
    case 'timeuuid':
      return UUID.test(text) ? { cql: text } : mismatch('a uuid');
    case 'timestamp':
      // epoch milliseconds bare, a date/time text ('2024-05-01 12:00:00+0000') quoted
      return INTEGER.test(text) ? { cql: text } : quoted;
    case 'blob':
      return BLOB.test(text) ? { cql: text } : mismatch('a blob (0x…)');
    case 'duration':
      return DURATION.test(text) ? { cql: text } : mismatch('a duration (1h30m)');
    default:
      // text, ascii, varchar, inet, date, time, collections and anything unknown: one string literal
      return quoted;
  }
}

/**
 * The items of an `IN` value: comma-separated. A single macro (`$__timeBuckets(day, 'yyyyMMdd')`) or variable is
 * one item even when it holds commas; a multi-value variable becomes the list when Grafana fills it in.
 */
export function splitInValues(raw: string): string[] {
  const text = raw.trim();
  if (text === '') {
    return [];
  }
  if (isMacro(text)) {
    return [text];
  }
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
