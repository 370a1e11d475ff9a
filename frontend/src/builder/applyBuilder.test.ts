import { CqlColumn, CqlQuery } from '../types';
import { applyBuilder, initialBuilderState, isHandEdited, isTimeSeriesShape, textVariablesOf } from './applyBuilder';

const COLUMNS: CqlColumn[] = [
  { name: 'sensor', type: 'text', kind: 'partition_key' },
  { name: 'ts', type: 'timestamp', kind: 'clustering' },
  { name: 'id', type: 'timeuuid', kind: 'clustering' },
  { name: 'temperature', type: 'double', kind: 'regular' },
];

const query = (q: Partial<CqlQuery> = {}): CqlQuery => ({ refId: 'A', ...q });

describe('applyBuilder', () => {
  it('writes the generated CQL into cql, the only key the backend runs, and marks builder mode', () => {
    const out = applyBuilder(query({ cql: 'old', format: 'table' }), { table: 'readings' }, COLUMNS, 'demo');
    expect(out).toEqual({
      refId: 'A',
      cql: 'SELECT *\nFROM readings',
      format: 'table',
      editorMode: 'builder',
      builder: { table: 'readings' },
      timeColumn: undefined,
    });
  });

  it('switches to time series once a time column and a value column are chosen, and back when one goes', () => {
    const withTime = applyBuilder(query({ format: 'table' }), { table: 'readings', timeColumn: 'ts' }, COLUMNS);
    expect(withTime.format).toBe('table');
    expect(withTime.timeColumn).toBe('ts');
    const series = applyBuilder(withTime, { ...withTime.builder, valueColumns: ['temperature'] }, COLUMNS);
    expect(series.format).toBe('time_series');
    expect(series.cql).toBe('SELECT ts, temperature\nFROM readings\nWHERE $__timeFilter(ts)');
    const noValues = applyBuilder(series, { ...series.builder, valueColumns: [] }, COLUMNS);
    expect(noValues.format).toBe('table');
  });

  it('keeps a format the user chose until the fields change what the result can be', () => {
    const series = applyBuilder(
      query(),
      { table: 'readings', timeColumn: 'ts', valueColumns: ['temperature'] },
      COLUMNS
    );
    const userTable = { ...series, format: 'table' as const };
    const moreFields = applyBuilder(userTable, { ...series.builder, labelColumns: ['sensor'], limit: 10 }, COLUMNS);
    expect(moreFields.format).toBe('table');
  });

  it('does not make a time series of a time column that is not a timestamp or date', () => {
    const out = applyBuilder(query(), { table: 'readings', timeColumn: 'id', valueColumns: ['temperature'] }, COLUMNS);
    expect(out.timeColumn).toBeUndefined();
    expect(out.format).toBeUndefined();
    expect(out.cql).toContain('id >= minTimeuuid($__timeFrom())');
    expect(isTimeSeriesShape(out.builder, COLUMNS)).toBe(false);
    // without a schema the user's choice is trusted
    expect(isTimeSeriesShape(out.builder, [])).toBe(true);
  });
});

describe('textVariables', () => {
  it('records the variables compared with text columns, recomputed on every change', () => {
    const withVar = applyBuilder(
      query(),
      { table: 'readings', filters: [{ column: 'sensor', operator: 'IN', value: '$sensor' }] },
      COLUMNS
    );
    expect(withVar.cql).toBe('SELECT *\nFROM readings\nWHERE sensor IN ($sensor)');
    expect(withVar.builder?.textVariables).toEqual(['sensor']);
    expect(textVariablesOf(withVar)).toEqual(['sensor']);

    const literal = applyBuilder(
      withVar,
      { ...withVar.builder, filters: [{ column: 'sensor', operator: '=', value: 's1' }] },
      COLUMNS
    );
    expect(literal.builder).not.toHaveProperty('textVariables');
    expect(textVariablesOf(literal)).toEqual([]);
    expect(textVariablesOf(query({ cql: 'SELECT * FROM t WHERE a = $a' }))).toEqual([]);
  });
});

describe('isHandEdited', () => {
  it('is false for empty CQL and for CQL the builder generated', () => {
    expect(isHandEdited(query(), COLUMNS)).toBe(false);
    expect(isHandEdited(query({ cql: '  \n' }), COLUMNS)).toBe(false);
    const built = applyBuilder(query(), { table: 'readings', timeColumn: 'ts' }, COLUMNS, 'demo');
    expect(isHandEdited(built, COLUMNS, 'demo')).toBe(false);
  });

  it('is true when the text differs from what the fields generate, or there are no fields', () => {
    const built = applyBuilder(query(), { table: 'readings', timeColumn: 'ts' }, COLUMNS, 'demo');
    expect(isHandEdited({ ...built, cql: built.cql + ' LIMIT 5' }, COLUMNS, 'demo')).toBe(true);
    expect(isHandEdited(query({ cql: 'SELECT * FROM readings' }), COLUMNS)).toBe(true);
  });
});

describe('initialBuilderState', () => {
  it('keeps the fields a query already has', () => {
    const builder = { table: 'x', limit: 3 };
    expect(initialBuilderState(query({ builder, cql: 'SELECT * FROM y' }), 'demo')).toBe(builder);
  });

  it('starts from the table the CQL names, else the default keyspace', () => {
    expect(initialBuilderState(query({ cql: 'SELECT ts FROM "Readings" WHERE a = 1' }), 'demo')).toEqual({
      keyspace: 'demo',
      table: 'Readings',
    });
    expect(initialBuilderState(query({ cql: 'SELECT * FROM other.cpu' }), 'demo')).toEqual({
      keyspace: 'other',
      table: 'cpu',
    });
    expect(initialBuilderState(query(), 'demo')).toEqual({ keyspace: 'demo' });
  });
});
