/*
 * The README is the published contract for settings and the query model; this test fails when types.ts and the
 * README disagree on a key or a default.
 */
import fs from 'fs';
import path from 'path';

import {
  CONSISTENCY_LEVELS,
  DEFAULT_OPTIONS,
  DEFAULT_QUERY_VALUES,
  EDITOR_QUERY_KEYS,
  JSON_DATA_KEYS,
  MIN_STREAM_INTERVAL_MS,
  QUERY_KEYS,
  SECURE_JSON_KEYS,
} from './types';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

/** Rows `| \`key\` | ... |` of the table that follows a heading. */
function tableAfter(heading: string): Array<{ key: string; cells: string[] }> {
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = readme.slice(start + heading.length).split('\n');
  const rows: Array<{ key: string; cells: string[] }> = [];
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('|')) {
      inTable = true;
      // a cell may hold an escaped pipe (`table` \| `time_series`)
      const cells = line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());
      const key = /^`([^`]+)`$/.exec(cells[0]);
      if (key) {
        rows.push({ key: key[1], cells });
      }
    } else if (inTable) {
      break;
    }
  }
  return rows;
}

/** The literal default of a row: a default cell that starts with a `code` value. */
function literalDefault(cell: string): string | undefined {
  return /^`([^`]+)`/.exec(cell)?.[1];
}

describe('README contract', () => {
  const jsonData = tableAfter('### `jsonData`');
  const secure = tableAfter('### `secureJsonData`');
  const query = tableAfter('## Query model');
  const editorOnly = tableAfter('### Editor-only query keys');

  it('lists exactly the jsonData keys of CqlOptions', () => {
    expect(jsonData.map((r) => r.key).sort()).toEqual([...JSON_DATA_KEYS].sort());
  });

  it('lists exactly the secureJsonData keys of CqlSecureJsonData', () => {
    expect(secure.map((r) => r.key).sort()).toEqual([...SECURE_JSON_KEYS].sort());
  });

  it('lists exactly the query keys of CqlQuery', () => {
    expect(query.map((r) => r.key).sort()).toEqual([...QUERY_KEYS].sort());
  });

  it('lists exactly the editor-only query keys, apart from the query model the backend reads', () => {
    expect(editorOnly.map((r) => r.key).sort()).toEqual([...EDITOR_QUERY_KEYS].sort());
    expect(query.map((r) => r.key).filter((k) => EDITOR_QUERY_KEYS.includes(k))).toEqual([]);
  });

  it('has the same jsonData defaults', () => {
    const defaults: Record<string, unknown> = DEFAULT_OPTIONS;
    for (const row of jsonData) {
      const documented = literalDefault(row.cells[2]);
      if (documented !== undefined) {
        expect({ key: row.key, value: String(defaults[row.key]) }).toEqual({ key: row.key, value: documented });
      } else {
        expect({ key: row.key, inDefaults: row.key in defaults }).toEqual({ key: row.key, inDefaults: false });
      }
    }
  });

  it('has the same query defaults', () => {
    const defaults: Record<string, unknown> = DEFAULT_QUERY_VALUES;
    for (const row of query) {
      const documented = literalDefault(row.cells[2]);
      if (documented !== undefined) {
        expect({ key: row.key, value: String(defaults[row.key]) }).toEqual({ key: row.key, value: documented });
      } else {
        expect({ key: row.key, inDefaults: row.key in defaults }).toEqual({ key: row.key, inDefaults: false });
      }
    }
    const interval = query.find((r) => r.key === 'streamIntervalMs');
    expect(interval?.cells[2]).toContain(`minimum \`${MIN_STREAM_INTERVAL_MS}\``);
  });

  it('names every consistency level the settings page offers', () => {
    const row = jsonData.find((r) => r.key === 'consistency');
    const documented = Array.from(row!.cells[3].matchAll(/`([A-Z_]+)`/g)).map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONSISTENCY_LEVELS].sort());
  });
});
