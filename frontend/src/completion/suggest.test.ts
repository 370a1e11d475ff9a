import { CqlColumn } from '../types';
import { cqlIdentifier, normalizeIdentifier, referencedTables, SchemaSource, suggest } from './suggest';

const columns: Record<string, CqlColumn[]> = {
  'metrics.cpu': [
    { name: 'value', type: 'double', kind: 'regular' },
    { name: 'host', type: 'text', kind: 'partition_key' },
    { name: 'ts', type: 'timestamp', kind: 'clustering' },
    { name: 'tags', type: 'map<text, text>', kind: 'static' },
  ],
  'Logs.Events': [{ name: 'Msg', type: 'text', kind: 'regular' }],
};

const schema: SchemaSource = {
  defaultKeyspace: 'metrics',
  getKeyspaces: async () => ['metrics', 'system', 'Logs'],
  getTables: async (ks) => (ks === 'metrics' ? ['cpu', 'mem'] : ks === 'Logs' ? ['Events'] : []),
  getColumns: async (ks, t) => columns[`${ks}.${t}`] ?? [],
};

const labels = (items: Array<{ label: string }>) => items.map((i) => i.label);

describe('suggest', () => {
  it('offers columns of the table in FROM, with the CQL type as detail, key columns first', async () => {
    const text = 'SELECT  FROM cpu';
    const { prefix, items } = await suggest('SELECT ', text, schema);
    expect(prefix).toBe('');
    const cols = items.filter((i) => i.kind === 'column');
    expect(cols.map((c) => [c.label, c.detail])).toEqual([
      ['value', 'double'],
      ['host', 'text'],
      ['ts', 'timestamp'],
      ['tags', 'map<text, text>'],
    ]);
    const sorted = [...cols].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((c) => c.label);
    expect(sorted.slice(0, 2)).toEqual(['host', 'ts']);
    expect(cols.find((c) => c.label === 'host')?.documentation).toBe('partition key of cpu');
    // keywords, functions and macros are offered too
    expect(labels(items)).toEqual(
      expect.arrayContaining(['SELECT', 'ALLOW FILTERING', 'toTimestamp', '$__timeFilter(column)'])
    );
  });

  it('offers tables of the default keyspace and keyspaces after FROM', async () => {
    const { items, prefix } = await suggest('SELECT * FROM c', 'SELECT * FROM c', schema);
    expect(prefix).toBe('c');
    expect(items.filter((i) => i.kind === 'table').map((i) => i.insertText)).toEqual(['cpu', 'mem']);
    const ks = items.filter((i) => i.kind === 'keyspace');
    expect(ks.map((i) => i.insertText)).toEqual(['metrics.', 'system.', '"Logs".']);
    expect(ks.every((i) => i.retrigger)).toBe(true);
  });

  it('offers the tables of a keyspace after "keyspace."', async () => {
    const { items, prefix } = await suggest('SELECT * FROM "Logs".E', '', schema);
    expect(prefix).toBe('E');
    expect(items.map((i) => [i.label, i.insertText])).toEqual([['Events', '"Events"']]);
  });

  it('offers nothing after a dot that follows no keyspace', async () => {
    expect((await suggest('SELECT x.', '', schema)).items).toEqual([]);
    expect((await suggest('FROM nope.c', '', schema)).items).toEqual([]);
  });

  it('offers macros and dashboard variables after $', async () => {
    const { items, prefix } = await suggest('WHERE $__ti', '', schema, ['host']);
    expect(prefix).toBe('$__ti');
    expect(labels(items)).toEqual(expect.arrayContaining(['$__timeFilter(column)', '$__timeBuckets(day)', '$host']));
    expect(items.every((i) => i.kind === 'macro' || i.kind === 'variable')).toBe(true);
    const filter = items.find((i) => i.label === '$__timeFilter(column)');
    expect(filter).toMatchObject({ snippet: true, detail: 'column >= <from ms> AND column <= <to ms>' });
    expect(filter?.insertText.startsWith('\\$__timeFilter(')).toBe(true);
  });

  it('offers keyspaces after USE', async () => {
    const { items } = await suggest('USE ', '', schema);
    expect(items.map((i) => i.insertText)).toEqual(['metrics', 'system', '"Logs"']);
  });

  it('still offers keywords when the schema is unavailable', async () => {
    const empty: SchemaSource = {
      getKeyspaces: async () => [],
      getTables: async () => [],
      getColumns: async () => [],
    };
    const { items } = await suggest('SEL', 'SEL', empty);
    expect(labels(items)).toContain('SELECT');
    expect(items.some((i) => i.kind === 'column')).toBe(false);
  });
});

describe('identifiers', () => {
  it('folds unquoted names and keeps quoted ones', () => {
    expect(normalizeIdentifier('Metrics')).toBe('metrics');
    expect(normalizeIdentifier('"Metrics"')).toBe('Metrics');
    expect(normalizeIdentifier('"a""b"')).toBe('a"b');
  });

  it('quotes names CQL would otherwise fold or reject', () => {
    expect(cqlIdentifier('cpu_1')).toBe('cpu_1');
    expect(cqlIdentifier('Cpu')).toBe('"Cpu"');
    expect(cqlIdentifier('1st')).toBe('"1st"');
    expect(cqlIdentifier('a"b')).toBe('"a""b"');
    // a reserved word is a name only in double quotes
    expect(cqlIdentifier('order')).toBe('"order"');
  });

  it('finds the tables a query reads', () => {
    expect(referencedTables('SELECT * FROM cpu WHERE x = 1', 'metrics')).toEqual([
      { keyspace: 'metrics', table: 'cpu' },
    ]);
    expect(referencedTables('select * from Logs . "Events"')).toEqual([{ keyspace: 'logs', table: 'Events' }]);
    expect(referencedTables('SELECT * FROM cpu')).toEqual([]);
  });
});
