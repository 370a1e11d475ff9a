/*
 * Template-variable interpolation that is safe for CQL.
 *
 * Grafana substitutes dashboard variables in the browser, before the query reaches the backend. A value is
 * user-controlled text, so it must never be able to end the literal it lands in: every text value becomes one
 * complete CQL string literal ('...' with embedded quotes doubled), multi-value variables become a comma list of
 * such literals for `IN (...)`, and only plain decimal numbers go in unquoted.
 *
 * A reference written inside quotes ('$host') is read as "I want text": it becomes one quoted literal even when the
 * value looks like a number (a text column rejects an unquoted 123). An explicit Grafana format such as
 * ${table:raw} is honoured as written (for identifiers such as keyspace or table names).
 *
 * $__interval and $__interval_ms are left in the text: the backend expands them (so alert rules, which run
 * without a browser, see the same query).
 */
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

/** Scoped variables the backend expands itself. */
const BACKEND_VARIABLES = ['__interval', '__interval_ms'];

/** A CQL decimal number literal; anything else (hex, NaN, "1e", "12abc", "") is text. */
const CQL_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** `'$var'`, `'${var}'`, `'[[var]]'`: a variable reference that is the whole content of a string literal. */
const QUOTED_REFERENCE = /'(\$\w+|\$\{\w+\}|\[\[\w+\]\])'/g;

/** One complete CQL string literal holding `text`; single quotes inside are doubled, so they cannot end it. */
export function quoteCqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function isCqlNumber(text: string): boolean {
  return CQL_NUMBER.test(text) && Number.isFinite(Number(text));
}

function asText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'string' ? value : String(value);
}

function asList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Formats one value for CQL: numbers bare, everything else as a quoted literal. */
function formatOne(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : quoteCqlString(String(value));
  }
  const text = asText(value);
  return isCqlNumber(text) ? text : quoteCqlString(text);
}

/**
 * Grafana variable formatter for CQL text (passed to `templateSrv.replace`): a value becomes a literal, a
 * multi-value selection a comma-separated list of literals.
 */
export function formatCqlValue(value: unknown): string {
  const list = asList(value);
  return list ? list.map(formatOne).join(',') : formatOne(value);
}

/** Formatter for a reference the user wrote inside quotes: always text literals. */
export function formatCqlText(value: unknown): string {
  const list = asList(value);
  return list ? list.map((v) => quoteCqlString(asText(v))).join(',') : quoteCqlString(asText(value));
}

/** Formatter for names (time column) and display text (alias): the values as they are, comma-joined. */
export function formatPlain(value: unknown): string {
  const list = asList(value);
  return list ? list.map(asText).join(',') : asText(value);
}

function withoutBackendVariables(scopedVars: ScopedVars | undefined): ScopedVars {
  const vars: ScopedVars = { ...(scopedVars ?? {}) };
  for (const name of BACKEND_VARIABLES) {
    delete vars[name];
  }
  return vars;
}

/**
 * What to fill in as text: `'$var'` (a reference that is the whole content of a string literal) and, when given,
 * the plain references (`$var`, `${var}`, `[[var]]`) of the variables named in `textVariables`.
 */
function textReferences(textVariables: readonly string[]): RegExp {
  // variable names are word characters; anything else cannot be a reference and is ignored
  const names = textVariables.filter((n) => /^\w+$/.test(n));
  if (names.length === 0) {
    return QUOTED_REFERENCE;
  }
  const group = names.join('|');
  return new RegExp(
    `${QUOTED_REFERENCE.source}|(\\$(?:${group})\\b(?!\\()|\\$\\{(?:${group})\\}|\\[\\[(?:${group})\\]\\])`,
    'g'
  );
}

/**
 * Interpolates dashboard variables into CQL text. The text is cut into pieces first and each piece is replaced
 * once, so a substituted value is never scanned for variables again. `textVariables` names variables whose plain
 * references are compared with text columns (the builder knows the column types): their values are always text
 * literals, also when they look like numbers, as `'$var'` would make them.
 */
export function interpolateCql(
  cql: string,
  templateSrv: TemplateSrv,
  scopedVars?: ScopedVars,
  textVariables: readonly string[] = []
): string {
  if (!cql) {
    return cql;
  }
  const vars = withoutBackendVariables(scopedVars);
  let out = '';
  let last = 0;
  for (const match of cql.matchAll(textReferences(textVariables))) {
    const start = match.index ?? 0;
    out += templateSrv.replace(cql.slice(last, start), vars, formatCqlValue);
    const reference = match[1] ?? match[2];
    const replaced = templateSrv.replace(reference, vars, formatCqlText);
    // an unknown variable is left alone, quotes included
    out += replaced === reference ? match[0] : replaced;
    last = start + match[0].length;
  }
  out += templateSrv.replace(cql.slice(last), vars, formatCqlValue);
  return out;
}

/**
 * Interpolates `timeGroup`: dashboard variables filled in without quoting, `$__interval` left for the backend (which
 * takes it from the query's interval, for panels and alert rules alike).
 */
export function interpolateTimeGroup(text: string | undefined, templateSrv: TemplateSrv, scopedVars?: ScopedVars) {
  return text ? templateSrv.replace(text, withoutBackendVariables(scopedVars), formatPlain) : text;
}

/** Interpolates a name or display template (alias, time column): no quoting. */
export function interpolatePlain(text: string | undefined, templateSrv: TemplateSrv, scopedVars?: ScopedVars) {
  return text ? templateSrv.replace(text, scopedVars, formatPlain) : text;
}
