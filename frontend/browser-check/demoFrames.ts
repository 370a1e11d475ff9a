/*
 * Deterministic stand-ins for what the demo dashboard's queries return (provisioning/dashboards/cql-demo.json),
 * made here in the harness, not read from a live plugin: the same shapes the backend builds (ResultShapes,
 * CqlTypes): a wide time series (time field, one float64 field per series with its labels and the alias as
 * displayNameFromDS), and tables whose CQL types map as the backend maps them (counter → int64, date → time,
 * collections → JSON). The sensors are the seed's built-in ones; the curves only look like its readings.
 */
import { DataFrame, dateTime, Field, FieldType, TimeRange } from '@grafana/data';

/** A fixed "now" (off the hour, so no axis tick sits on the plot's edge): the picture changes only when the panels do. */
export const NOW = Date.UTC(2026, 2, 2, 12, 22, 30);
const MINUTE = 60_000;

export function lastHours(hours: number): TimeRange {
  const from = dateTime(NOW - hours * 60 * MINUTE);
  const to = dateTime(NOW);
  return { from, to, raw: { from: `now-${hours}h`, to: 'now' } };
}

export function lastMinutes(minutes: number): TimeRange {
  const from = dateTime(NOW - minutes * MINUTE);
  const to = dateTime(NOW);
  return { from, to, raw: { from: `now-${minutes}m`, to: 'now' } };
}

/** The seed's built-in sensors: id, mean temperature, daily swing, mean humidity. */
const SENSORS: Array<[string, number, number, number]> = [
  ['hq-office-1', 21.5, 1.5, 45],
  ['hq-office-2', 22.0, 2.0, 42],
  ['hq-server-room', 18.5, 0.5, 35],
  ['plant-line-1', 27.0, 3.0, 55],
  ['plant-line-2', 28.0, 3.0, 58],
  ['plant-yard', 12.0, 8.0, 70],
  ['wh-freezer-1', -19.0, 0.8, 80],
  ['wh-dock', 9.0, 6.0, 65],
];

/** A small repeatable jitter in [-1, 1] (no Math.random: the picture must not change between runs). */
function jitter(seed: number, i: number): number {
  const x = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

/** A slow wander of a few minutes' period, as a real room's air drifts, plus a little jitter per reading. */
function drift(seed: number, t: number): number {
  const m = t / MINUTE;
  return 0.6 * Math.sin(m / 9 + seed) + 0.3 * Math.sin(m / 3.1 + 2 * seed) + 0.05 * jitter(seed, Math.floor(t / 5000));
}

function reading(sensor: number, t: number, humidity: boolean): number {
  const [, mean, swing, hum] = SENSORS[sensor];
  const day = (2 * Math.PI * (t % (24 * 60 * MINUTE))) / (24 * 60 * MINUTE);
  if (humidity) {
    return Math.round((hum - 6 * Math.sin(day - 0.6 + sensor) + 1.5 * drift(sensor + 50, t)) * 10) / 10;
  }
  const wave = swing * Math.sin(day - Math.PI / 2 + sensor * 0.4) + 0.3 * swing * Math.sin(day * 7 + sensor);
  return Math.round((mean + wave + 0.4 * drift(sensor, t)) * 100) / 100;
}

function times(range: TimeRange, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = range.from.valueOf() + stepMs; t <= range.to.valueOf(); t += stepMs) {
    out.push(t);
  }
  return out;
}

/**
 * The backend's wide frame for `SELECT ts, sensor_id, <column> …` with alias {{sensor_id}}: one field per sensor,
 * labelled with its sensor_id, named by the alias.
 */
export function bySensor(column: 'temperature' | 'humidity', range: TimeRange, stepMs: number): DataFrame {
  const ts = times(range, stepMs);
  const fields: Field[] = [{ name: 'ts', type: FieldType.time, config: {}, values: ts }];
  SENSORS.forEach(([id], s) => {
    fields.push({
      name: column,
      type: FieldType.number,
      labels: { sensor_id: id },
      config: { displayNameFromDS: id },
      values: ts.map((t) => reading(s, t, column === 'humidity')),
    });
  });
  return { refId: 'A', name: column, length: ts.length, fields, meta: { type: 'timeseries-wide' } } as DataFrame;
}

/** `SELECT ts, temperature, humidity … WHERE sensor_id = 'plant-line-2'`: the live panel's rows, one every 5 s. */
export function oneSensor(range: TimeRange): DataFrame {
  const ts = times(range, 5000);
  const s = SENSORS.findIndex(([id]) => id === 'plant-line-2');
  return {
    refId: 'A',
    length: ts.length,
    fields: [
      { name: 'ts', type: FieldType.time, config: {}, values: ts },
      { name: 'temperature', type: FieldType.number, config: {}, values: ts.map((t) => reading(s, t, false)) },
      { name: 'humidity', type: FieldType.number, config: {}, values: ts.map((t) => reading(s, t, true)) },
    ],
  };
}

function table(refId: string, columns: Array<[string, FieldType, unknown[]]>): DataFrame {
  return {
    refId,
    length: columns[0][2].length,
    fields: columns.map(([name, type, values]) => ({ name, type, config: {}, values })),
  };
}

/** `SELECT sensor_id, site, kind, location, installed FROM demo.sensors` (installed is a CQL date → time). */
export function sensorsTable(): DataFrame {
  const rows: Array<[string, string, string, string, number]> = [
    ['hq-office-1', 'hq', 'hvac', 'HQ, 2nd floor open space', Date.UTC(2023, 2, 14)],
    ['hq-office-2', 'hq', 'hvac', 'HQ, 3rd floor meeting rooms', Date.UTC(2023, 2, 14)],
    ['hq-server-room', 'hq', 'server-room', 'HQ, basement server room', Date.UTC(2022, 10, 2)],
    ['plant-line-1', 'plant', 'production-line', 'Plant, assembly line 1', Date.UTC(2024, 0, 8)],
    ['plant-line-2', 'plant', 'production-line', 'Plant, assembly line 2', Date.UTC(2024, 0, 8)],
    ['plant-yard', 'plant', 'outdoor', 'Plant, yard weather station', Date.UTC(2021, 5, 30)],
    ['wh-dock', 'warehouse', 'loading-dock', 'Warehouse, loading dock', Date.UTC(2022, 8, 19)],
    ['wh-freezer-1', 'warehouse', 'freezer', 'Warehouse, freezer room 1', Date.UTC(2022, 8, 19)],
  ];
  const col = (i: number) => rows.map((r) => r[i]);
  return table('A', [
    ['sensor_id', FieldType.string, col(0)],
    ['site', FieldType.string, col(1)],
    ['kind', FieldType.string, col(2)],
    ['location', FieldType.string, col(3)],
    ['installed', FieldType.time, col(4)],
  ]);
}

/** `SELECT page, hits FROM demo.page_hits` (hits is a counter → int64). */
export function pageHits(): DataFrame {
  return table('A', [
    ['page', FieldType.string, ['/', '/d/cql-demo', '/explore', '/alerting/list']],
    ['hits', FieldType.number, [1843, 1297, 612, 158]],
  ]);
}

/**
 * The first columns of `SELECT * FROM demo.all_types`, rows as the seed writes them (demo-all-types.cql), typed
 * as the backend types them: the row of NULLs stays null, collections and UDTs come as JSON. c_text is left out:
 * the machines the check runs on have no CJK font, and the seed's 'Grüße, 世界 ✓' would draw as empty boxes.
 */
export function allTypes(): DataFrame {
  return table('A', [
    ['id', FieldType.number, [1, 2, 3, 4]],
    ['c_ascii', FieldType.string, ['plain ascii', '', null, 'max values']],
    ['c_blob', FieldType.string, ['0xcafebabe', '0x', null, '0x00ff10']],
    ['c_boolean', FieldType.boolean, [true, false, null, true]],
    // 9999-12-31 is beyond Grafana's nanosecond times: the backend sends null (and counts it)
    ['c_date', FieldType.time, [Date.UTC(2024, 1, 29), Date.UTC(1970, 0, 1), null, null]],
    ['c_double', FieldType.number, [3.141592653589793, -1.7976931348623157e308, null, 1.0e-300]],
    ['c_duration', FieldType.string, ['1h30m15s', '-2y3mo4d5h6m7s8ms9us10ns', null, '1d2h']],
    ['c_inet', FieldType.string, ['192.168.1.10', '2001:db8::ff00:42:8329', null, '10.0.0.255']],
    ['c_time', FieldType.string, ['13:45:30.123456789', '00:00:00.000000000', null, '23:59:59.999999999']],
    ['c_list', FieldType.other, [[1, 2, 3], [], null, [0, -1, 2147483647]]],
    ['c_map', FieldType.other, [{ one: 1, two: 2 }, {}, null, { max: 2147483647 }]],
    [
      'c_udt',
      FieldType.other,
      [
        { street: '1 Main St', city: 'Springfield', zip: 12345 },
        { street: '', city: 'Zürich', zip: null },
        null,
        { street: 'Bahnhofstrasse 1', city: null, zip: 8001 },
      ],
    ],
  ]);
}
