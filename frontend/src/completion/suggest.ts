/*
 * What the CQL editor proposes at the cursor, independent of Monaco so it can be tested in jsdom. The schema comes
 * from the backend's resources; when a call fails the schema part is simply empty.
 */
import { quoteIdentifier } from '../builder/cqlLiterals';
import { CqlColumn } from '../types';
import { CQL_FUNCTIONS, CQL_KEYWORDS } from './cqlWords';
import { MACROS } from './macros';

export type SuggestionKind = 'keyword' | 'function' | 'macro' | 'variable' | 'keyspace' | 'table' | 'column';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  insertText: string;
  /** insertText is a Monaco snippet (tab stops) */
  snippet?: boolean;
  detail?: string;
  documentation?: string;
  /** orders the list: schema first, then macros, functions, keywords */
  sortText: string;
  /** open the list again after inserting (a keyspace followed by ".") */
  retrigger?: boolean;
}

/** The schema as the backend's resources describe it. Implementations must not reject. */
export interface SchemaSource {
  defaultKeyspace?: string;
  getKeyspaces(): Promise<string[]>;
  getTables(keyspace: string): Promise<string[]>;
  getColumns(keyspace: string, table: string): Promise<CqlColumn[]>;
}

export interface SuggestResult {
  /** text before the cursor that the chosen item replaces */
  prefix: string;
  items: Suggestion[];
}

const IDENT = '(?:"(?:[^"]|"")+"|[A-Za-z_][\\w]*)';
const TABLE_REF = new RegExp(`\\b(?:FROM|UPDATE|INTO)\\s+(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`, 'gi');
const AFTER_QUALIFIER = new RegExp(`(${IDENT})\\.(\\w*)$`);
const TABLE_POSITION = /\b(?:FROM|INTO|UPDATE|TABLE|TRUNCATE)\s+"?(\w*)$/i;
const KEYSPACE_POSITION = /\b(?:USE|KEYSPACE)\s+"?(\w*)$/i;
const TOKEN_AT_END = /[\w$]*$/;

const KIND_LABEL: Record<CqlColumn['kind'], string> = {
  partition_key: 'partition key',
  clustering: 'clustering column',
  regular: 'column',
  static: 'static column',
};

/** CQL folds unquoted names to lower case; a quoted name keeps its case. */
export function normalizeIdentifier(raw: string): string {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
    return raw.slice(1, -1).replace(/""/g, '"');
  }
  return raw.toLowerCase();
}

/** How to write a schema name in CQL: bare when CQL would read it back unchanged, quoted otherwise. */
export function cqlIdentifier(name: string): string {
  // one rule for completion and the builder, reserved words included ("order", "limit")
  return quoteIdentifier(name);
}

/** Tables named after FROM / UPDATE / INTO anywhere in the text, qualified with the default keyspace if bare. */
export function referencedTables(text: string, defaultKeyspace?: string): Array<{ keyspace: string; table: string }> {
  const found = new Map<string, { keyspace: string; table: string }>();
  for (const match of text.matchAll(TABLE_REF)) {
    const [, first, second] = match;
    const keyspace = second ? normalizeIdentifier(first) : defaultKeyspace;
    const table = normalizeIdentifier(second ?? first);
    if (keyspace) {
      found.set(`${keyspace}.${table}`, { keyspace, table });
    }
  }
  return Array.from(found.values());
}

function macroItems(): Suggestion[] {
  return MACROS.map((m) => ({
    label: m.label,
    kind: 'macro',
    insertText: m.snippet,
    snippet: true,
    detail: m.detail,
    documentation: m.documentation,
    sortText: '2',
  }));
}

function variableItems(variables: string[]): Suggestion[] {
  return variables.map((name) => ({
    label: `$${name}`,
    kind: 'variable',
    insertText: `$${name}`,
    detail: 'dashboard variable',
    documentation: 'Replaced in the browser: text values become quoted CQL literals, multi-value a list for IN (...).',
    sortText: '3',
  }));
}

function keywordItems(): Suggestion[] {
  const functions: Suggestion[] = CQL_FUNCTIONS.map((f) => ({
    label: f.name,
    kind: 'function',
    insertText: f.name,
    detail: f.signature,
    documentation: f.doc,
    sortText: '4',
  }));
  const keywords: Suggestion[] = CQL_KEYWORDS.map((k) => ({ label: k, kind: 'keyword', insertText: k, sortText: '5' }));
  return [...functions, ...keywords];
}

function tableItems(keyspace: string, tables: string[]): Suggestion[] {
  return tables.map((t) => ({
    label: t,
    kind: 'table',
    insertText: cqlIdentifier(t),
    detail: `table in ${keyspace}`,
    sortText: '0',
  }));
}

function keyspaceItems(keyspaces: string[], withDot: boolean): Suggestion[] {
  return keyspaces.map((k) => ({
    label: k,
    kind: 'keyspace',
    insertText: withDot ? `${cqlIdentifier(k)}.` : cqlIdentifier(k),
    detail: 'keyspace',
    sortText: '1',
    retrigger: withDot,
  }));
}

async function columnItems(text: string, schema: SchemaSource): Promise<Suggestion[]> {
  const tables = referencedTables(text, schema.defaultKeyspace);
  const perTable = await Promise.all(
    tables.map(async ({ keyspace, table }) => (await schema.getColumns(keyspace, table)).map((c) => ({ c, table })))
  );
  const seen = new Set<string>();
  const items: Suggestion[] = [];
  for (const { c, table } of perTable.flat()) {
    if (seen.has(c.name)) {
      continue;
    }
    seen.add(c.name);
    items.push({
      label: c.name,
      kind: 'column',
      insertText: cqlIdentifier(c.name),
      detail: c.type,
      documentation: `${KIND_LABEL[c.kind] ?? c.kind} of ${table}`,
      // key columns first: they are the ones a WHERE clause can use without ALLOW FILTERING
      sortText: c.kind === 'partition_key' ? '0a' : c.kind === 'clustering' ? '0b' : '0c',
    });
  }
  return items;
}

/**
 * Suggestions for the cursor position. `textBefore` is the text up to the cursor, `fullText` the whole query
 * (a FROM clause may follow the cursor), `variables` the names of the dashboard's template variables.
 */
export async function suggest(
  textBefore: string,
  fullText: string,
  schema: SchemaSource,
  variables: string[] = []
): Promise<SuggestResult> {
  const qualified = AFTER_QUALIFIER.exec(textBefore);
  if (qualified) {
    const keyspace = normalizeIdentifier(qualified[1]);
    const keyspaces = await schema.getKeyspaces();
    if (keyspaces.includes(keyspace)) {
      return { prefix: qualified[2], items: tableItems(keyspace, await schema.getTables(keyspace)) };
    }
    return { prefix: qualified[2], items: [] };
  }

  const prefix = TOKEN_AT_END.exec(textBefore)?.[0] ?? '';
  if (prefix.startsWith('$')) {
    return { prefix, items: [...macroItems(), ...variableItems(variables)] };
  }

  if (KEYSPACE_POSITION.test(textBefore)) {
    return { prefix, items: keyspaceItems(await schema.getKeyspaces(), false) };
  }

  if (TABLE_POSITION.test(textBefore)) {
    const [keyspaces, tables] = await Promise.all([
      schema.getKeyspaces(),
      schema.defaultKeyspace ? schema.getTables(schema.defaultKeyspace) : Promise.resolve([]),
    ]);
    return {
      prefix,
      items: [...tableItems(schema.defaultKeyspace ?? '', tables), ...keyspaceItems(keyspaces, true)],
    };
  }

  const columns = await columnItems(fullText, schema);
  return { prefix, items: [...columns, ...macroItems(), ...variableItems(variables), ...keywordItems()] };
}
