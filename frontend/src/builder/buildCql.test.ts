import { interpolateCql } from '../interpolation';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { CqlBuilderState, CqlColumn } from '../types';
import { buildCql, timeCondition } from './buildCql';
import { formatLiteral, quoteIdentifier, splitInValues } from './cqlLiterals';

const READINGS: CqlColumn[] = [
  { name: 'sensor', type: 'text', kind: 'partition_key' },
  { name: 'day', type: 'date', kind: 'partition_key' },
  { name: 'ts', type: 'timestamp', kind: 'clustering' },
  { name: 'seq', type: 'int', kind: 'clustering' },
  { name: 'site', type: 'text', kind: 'static' },
  { name: 'temperature', type: 'double', kind: 'regular' },
  { name: 'ok', type: 'boolean', kind: 'regular' },
];

const build = (state: CqlBuilderState, columns = READINGS, defaultKeyspace: string | undefined = 'demo') =>
  buildCql(state, columns, defaultKeyspace);

describe('quoteIdentifier', () => {
  it('leaves lower-case names bare', () => {
    expect(quoteIdentifier('ts')).toBe('ts');
    expect(quoteIdentifier('cpu_1')).toBe('cpu_1');
    expect(quoteIdentifier('_x')).toBe('_x');
  });

  it('quotes names CQL would fold or misread', () => {
    expect(quoteIdentifier('Temperature')).toBe('"Temperature"');
    expect(quoteIdentifier('1st')).toBe('"1st"');
    expect(quoteIdentifier('with space')).toBe('"with space"');
    expect(quoteIdentifier('a-b')).toBe('"a-b"');
    expect(quoteIdentifier('')).toBe('""');
  });

  it('doubles a double quote inside a name', () => {
    expect(quoteIdentifier('say "hi"')).toBe('"say ""hi"""');
  });

  it('quotes reserved words', () => {
    for (const word of ['select', 'from', 'order', 'limit', 'token', 'table', 'where', 'in', 'to', 'materialized']) {
      expect(quoteIdentifier(word)).toBe(`"${word}"`);
    }
    // non-reserved keywords are names like any other
    for (const word of ['key', 'value', 'count', 'timestamp', 'ttl']) {
      expect(quoteIdentifier(word)).toBe(word);
    }
  });
});

describe('formatLiteral', () => {
  it('quotes text and doubles quotes inside, so a value is always one literal', () => {
    expect(formatLiteral("x' OR 'a'='a", 'text').cql).toBe("'x'' OR ''a''=''a'");
    expect(formatLiteral("o'brien", 'varchar').cql).toBe("'o''brien'");
    expect(formatLiteral('42', 'text').cql).toBe("'42'");
    expect(formatLiteral('  s1 ', 'ascii').cql).toBe("'s1'");
  });

  it('writes numbers bare for numeric columns and flags what is not a number', () => {
    expect(formatLiteral('42', 'int')).toEqual({ cql: '42' });
    expect(formatLiteral('-7', 'bigint')).toEqual({ cql: '-7' });
    expect(formatLiteral('1.5e3', 'double')).toEqual({ cql: '1.5e3' });
    expect(formatLiteral('1.5', 'int')).toEqual({ cql: "'1.5'", problem: '1.5 is not a whole number (int)' });
    const attack = formatLiteral('1; DROP TABLE x', 'int');
    expect(attack.cql).toBe("'1; DROP TABLE x'");
    expect(attack.problem).toContain('not a whole number');
    expect(formatLiteral("1 OR 'a'='a", 'double').cql).toBe("'1 OR ''a''=''a'");
  });

  it('writes booleans, uuids, blobs, durations bare only when they are one', () => {
    expect(formatLiteral('TRUE', 'boolean').cql).toBe('true');
    expect(formatLiteral('yes', 'boolean')).toEqual({ cql: "'yes'", problem: 'yes is not true or false (boolean)' });
    const id = '123e4567-e89b-12d3-a456-426614174000';
    expect(formatLiteral(id, 'uuid').cql).toBe(id);
    expect(formatLiteral(id, 'timeuuid').cql).toBe(id);
    expect(formatLiteral('abc', 'uuid').problem).toBe('abc is not a uuid (uuid)');
    expect(formatLiteral('0xCAFE', 'blob').cql).toBe('0xCAFE');
    expect(formatLiteral('1h30m', 'duration').cql).toBe('1h30m');
    expect(formatLiteral('soon', 'duration').cql).toBe("'soon'");
  });

  it('writes timestamps as epoch milliseconds bare or as quoted text', () => {
    expect(formatLiteral('1714521600000', 'timestamp').cql).toBe('1714521600000');
    expect(formatLiteral('2024-05-01 00:00:00+0000', 'timestamp').cql).toBe("'2024-05-01 00:00:00+0000'");
    expect(formatLiteral('2024-05-01', 'date').cql).toBe("'2024-05-01'");
    expect(formatLiteral('2024-05-01', 'frozen<date>').cql).toBe("'2024-05-01'");
  });

  it('leaves variables for Grafana as Grafana users write them; quotes typed around one stay', () => {
    expect(formatLiteral('$sensor', 'int').cql).toBe('$sensor');
    expect(formatLiteral('${sensor}', 'timestamp').cql).toBe('${sensor}');
    expect(formatLiteral('$sensor', 'text').cql).toBe('$sensor');
    expect(formatLiteral('[[sensor]]', 'varchar').cql).toBe('[[sensor]]');
    expect(formatLiteral("'$zip'", 'text').cql).toBe("'$zip'");
    // an explicit format is honoured as written
    expect(formatLiteral('${sensor:raw}', 'text').cql).toBe('${sensor:raw}');
    expect(formatLiteral('$sensor', undefined).cql).toBe('$sensor');
    // not a variable reference: text
    expect(formatLiteral('$sensor x', 'text').cql).toBe("'$sensor x'");
    expect(formatLiteral("$a' OR 'b", 'text').cql).toBe("'$a'' OR ''b'");
  });

  it('leaves backend macros as they are', () => {
    expect(formatLiteral('$__timeFrom()', 'timestamp').cql).toBe('$__timeFrom()');
    expect(formatLiteral("$__timeBuckets(day, 'yyyyMMdd')", 'text').cql).toBe("$__timeBuckets(day, 'yyyyMMdd')");
    // a quote that would end the macro's argument early makes it text
    expect(formatLiteral("$__timeBuckets(day, 'a') OR x = 'b')", 'text').cql).toBe(
      "'$__timeBuckets(day, ''a'') OR x = ''b'')'"
    );
  });

  it('without a schema: numbers bare, everything else text', () => {
    expect(formatLiteral('12', undefined).cql).toBe('12');
    expect(formatLiteral('s1', undefined).cql).toBe("'s1'");
  });
});

describe('splitInValues', () => {
  it('splits on commas and drops empty items', () => {
    expect(splitInValues(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitInValues('  ')).toEqual([]);
  });

  it('keeps one macro whole', () => {
    expect(splitInValues("$__timeBuckets(day, 'yyyyMMdd')")).toEqual(["$__timeBuckets(day, 'yyyyMMdd')"]);
  });
});

describe('timeCondition', () => {
  it('picks the filter by the time column type', () => {
    expect(timeCondition('ts', 'timestamp')).toBe('$__timeFilter(ts)');
    expect(timeCondition('Event Time', 'timestamp')).toBe('$__timeFilter("Event Time")');
    expect(timeCondition('day', 'date')).toBe('day IN ($__timeBuckets(day))');
    expect(timeCondition('id', 'timeuuid')).toBe('id >= minTimeuuid($__timeFrom()) AND id <= maxTimeuuid($__timeTo())');
    expect(timeCondition('epoch_ms', 'bigint')).toBe('$__timeFilter(epoch_ms)');
    expect(timeCondition('epoch_s', 'int')).toBe('$__unixEpochFilter(epoch_s)');
  });
});

describe('buildCql', () => {
  it('is empty until a table is chosen', () => {
    expect(build({ keyspace: 'demo' })).toEqual({
      cql: '',
      missingPartitionKeys: [],
      warnings: [],
      ordered: false,
      textVariables: [],
    });
  });

  it('selects every column of a table in the default keyspace, and warns about the partition key', () => {
    const out = build({ table: 'readings' });
    expect(out.cql).toBe('SELECT *\nFROM readings');
    expect(out.missingPartitionKeys).toEqual(['sensor', 'day']);
    expect(out.warnings[0]).toContain('partition key columns sensor, day');
    expect(out.warnings[0]).toContain('refuses unless ALLOW FILTERING is ticked');
  });

  it('qualifies a table outside the default keyspace, quoting names that need it', () => {
    expect(build({ keyspace: 'Other KS', table: 'select' }, []).cql).toBe('SELECT *\nFROM "Other KS"."select"');
    expect(build({ keyspace: 'demo', table: 'Readings' }, []).cql).toBe('SELECT *\nFROM "Readings"');
    expect(build({ keyspace: 'metrics', table: 'cpu' }, [], undefined).cql).toBe('SELECT *\nFROM metrics.cpu');
    expect(build({ table: 'cpu' }, [], undefined).cql).toBe('SELECT *\nFROM cpu');
  });

  it('generates a time series query: time, labels, values, key values, time filter', () => {
    const out = build({
      table: 'readings',
      timeColumn: 'ts',
      valueColumns: ['temperature'],
      labelColumns: ['sensor'],
      filters: [
        { column: 'day', operator: 'IN', value: '$__timeBuckets(day)' },
        { column: 'sensor', operator: 'IN', value: '$sensor' },
      ],
    });
    expect(out.cql).toBe(
      [
        'SELECT ts, sensor, temperature',
        'FROM readings',
        'WHERE sensor IN ($sensor)',
        '  AND day IN ($__timeBuckets(day))',
        '  AND $__timeFilter(ts)',
      ].join('\n')
    );
    expect(out.missingPartitionKeys).toEqual([]);
    expect(out.warnings).toEqual([]);
    // sensor is text: its values must go in as text literals
    expect(out.textVariables).toEqual(['sensor']);
  });

  it('quotes every literal by its column type and keeps an injection attempt one literal', () => {
    const out = build({
      table: 'readings',
      filters: [
        { column: 'sensor', operator: '=', value: "x' OR 'a'='a" },
        { column: 'day', operator: 'IN', value: '2024-05-01, 2024-05-02' },
        { column: 'seq', operator: '>=', value: '10' },
      ],
    });
    expect(out.cql).toBe(
      [
        'SELECT *',
        'FROM readings',
        "WHERE sensor = 'x'' OR ''a''=''a'",
        "  AND day IN ('2024-05-01', '2024-05-02')",
        '  AND seq >= 10',
      ].join('\n')
    );
    expect(out.warnings).toEqual([]);
  });

  it('reports values that do not fit the column type', () => {
    const out = build({
      table: 'readings',
      filters: [
        { column: 'sensor', operator: '=', value: 's1' },
        { column: 'day', operator: '=', value: '2024-05-01' },
        { column: 'seq', operator: '<', value: 'ten' },
      ],
    });
    expect(out.cql).toContain("seq < 'ten'");
    expect(out.warnings).toEqual(['seq: ten is not a whole number (int)']);
  });

  it('counts only = and IN with a value as restricting a partition key', () => {
    const out = build({
      table: 'readings',
      filters: [
        { column: 'sensor', operator: '=', value: '' },
        { column: 'day', operator: '>', value: '2024-05-01' },
      ],
    });
    expect(out.missingPartitionKeys).toEqual(['sensor', 'day']);
    expect(out.cql).toBe("SELECT *\nFROM readings\nWHERE day > '2024-05-01'");
    const one = build({ table: 'readings', filters: [{ column: 'sensor', operator: '=', value: 's1' }] });
    expect(one.missingPartitionKeys).toEqual(['day']);
    expect(one.warnings[0]).toMatch(/^No = or IN value for partition key column day:/);
  });

  it('lets a date time column that is a partition key be restricted by the time range', () => {
    const columns: CqlColumn[] = [
      { name: 'day', type: 'date', kind: 'partition_key' },
      { name: 'host', type: 'text', kind: 'clustering' },
      { name: 'load', type: 'float', kind: 'regular' },
    ];
    const out = build({ table: 'daily', timeColumn: 'day', valueColumns: ['load'] }, columns);
    expect(out.cql).toBe('SELECT day, load\nFROM daily\nWHERE day IN ($__timeBuckets(day))');
    expect(out.missingPartitionKeys).toEqual([]);
  });

  it('writes ORDER BY only when the time column is the first clustering column', () => {
    const base: CqlBuilderState = {
      table: 'readings',
      timeColumn: 'ts',
      order: 'DESC',
      filters: [
        { column: 'sensor', operator: '=', value: 's1' },
        { column: 'day', operator: '=', value: '2024-05-01' },
      ],
    };
    const ordered = build(base);
    expect(ordered.ordered).toBe(true);
    expect(ordered.cql.split('\n').slice(-1)[0]).toBe('ORDER BY ts DESC');

    const bySeq = build({ ...base, timeColumn: 'seq' });
    expect(bySeq.ordered).toBe(false);
    expect(bySeq.cql).not.toContain('ORDER BY');

    const regular: CqlColumn[] = READINGS.map((c) => (c.name === 'ts' ? { ...c, kind: 'regular' } : c));
    expect(build(base, regular).cql).not.toContain('ORDER BY');
    expect(build({ ...base, order: undefined }).cql).not.toContain('ORDER BY');
  });

  it('warns that ORDER BY needs the whole partition key', () => {
    const out = build({ table: 'readings', timeColumn: 'ts', order: 'ASC' });
    expect(out.cql).toContain('ORDER BY ts ASC');
    expect(out.warnings).toContain('ORDER BY needs every partition key column restricted with = or IN.');
  });

  it('adds LIMIT when it is a positive whole number and ALLOW FILTERING only when asked', () => {
    const state: CqlBuilderState = { table: 'readings', limit: 500, allowFiltering: true };
    expect(build(state).cql).toBe('SELECT *\nFROM readings\nLIMIT 500\nALLOW FILTERING');
    expect(build(state).warnings[0]).toContain('which ALLOW FILTERING permits but can be slow');
    expect(build({ table: 'readings', limit: 0 }).cql).toBe('SELECT *\nFROM readings');
    expect(build({ table: 'readings', limit: 2.5 }).cql).toBe('SELECT *\nFROM readings');
    expect(build({ table: 'readings' }).cql).not.toContain('ALLOW FILTERING');
  });

  it('lists each selected column once, time first, quoting names that need it', () => {
    const columns: CqlColumn[] = [
      { name: 'Host', type: 'text', kind: 'partition_key' },
      { name: 'Event Time', type: 'timestamp', kind: 'clustering' },
      { name: 'value', type: 'double', kind: 'regular' },
      { name: 'order', type: 'int', kind: 'regular' },
    ];
    const out = build(
      {
        table: 'Events',
        timeColumn: 'Event Time',
        valueColumns: ['value', 'order', 'value'],
        labelColumns: ['Host'],
        filters: [{ column: 'Host', operator: '=', value: 'web-1' }],
        order: 'ASC',
      },
      columns
    );
    expect(out.cql).toBe(
      [
        'SELECT "Event Time", "Host", value, "order"',
        'FROM "Events"',
        `WHERE "Host" = 'web-1'`,
        '  AND $__timeFilter("Event Time")',
        'ORDER BY "Event Time" ASC',
      ].join('\n')
    );
  });

  it('keeps filters on columns the schema does not list, written without a type', () => {
    const out = build({ table: 't', filters: [{ column: 'x', operator: '=', value: '7' }] }, []);
    expect(out.cql).toBe('SELECT *\nFROM t\nWHERE x = 7');
    expect(out.missingPartitionKeys).toEqual([]);
  });
});

describe('generated CQL after Grafana fills in the variables', () => {
  const state: CqlBuilderState = {
    table: 'readings',
    timeColumn: 'ts',
    valueColumns: ['temperature'],
    filters: [
      { column: 'sensor', operator: 'IN', value: '$sensor' },
      { column: 'day', operator: '=', value: '$day' },
      { column: 'seq', operator: '>', value: '$seq' },
    ],
  };

  it('keeps text values text and each value one literal', () => {
    const out = build(state);
    // day is a date and sensor text (quoted types); seq an int
    expect(out.textVariables).toEqual(['day', 'sensor']);
    const srv = new FakeTemplateSrv({ sensor: ['101', "x' OR 'a'='a"], day: '2024-05-01', seq: '5' });
    expect(interpolateCql(out.cql, srv, {}, out.textVariables)).toBe(
      [
        'SELECT ts, temperature',
        'FROM readings',
        "WHERE sensor IN ('101','x'' OR ''a''=''a')",
        "  AND day = '2024-05-01'",
        '  AND $__timeFilter(ts)',
        '  AND seq > 5',
      ].join('\n')
    );
  });

  it("writes IN ($var), which stays safe without the builder's type knowledge too", () => {
    const out = build(state);
    expect(out.cql).toContain('WHERE sensor IN ($sensor)');
    const srv = new FakeTemplateSrv({ sensor: ['web-1', "x' OR 'a'='a"], day: '2024-05-01', seq: '5' });
    // as code mode without builder fields would send it: every value still exactly one literal
    expect(interpolateCql(out.cql, srv)).toContain("WHERE sensor IN ('web-1','x'' OR ''a''=''a')");
  });

  it('quotes a text-looking value of a numeric column, so the node rejects it instead of reading it as CQL', () => {
    const cql = build(state).cql;
    const srv = new FakeTemplateSrv({ sensor: 's1', day: '2024-05-01', seq: '1 OR 1=1' });
    expect(interpolateCql(cql, srv)).toContain("seq > '1 OR 1=1'");
  });
});
