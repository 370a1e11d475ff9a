/*
 * The backend declares every setting (kernel/Setting.java) and every query key (query/QueryKey.java); the
 * committed files contract/settings.json and contract/query.json are generated from those declarations (the
 * backend's ContractAgreementTest fails when they drift). This test fails when types.ts disagrees with them on a
 * key, a default or an allowed value.
 */
import fs from 'fs';
import path from 'path';

import {
  AGGREGATES,
  CONSISTENCY_LEVELS,
  DEFAULT_OPTIONS,
  DEFAULT_QUERY_VALUES,
  EDITOR_QUERY_KEYS,
  JSON_DATA_KEYS,
  MIN_STREAM_INTERVAL_MS,
  QUERY_KEYS,
  SECURE_JSON_KEYS,
} from './types';

interface DeclaredKey {
  type: 'string' | 'number' | 'boolean' | 'object';
  default?: string | number | boolean;
  minimum?: number;
  values?: string[];
}
type Declared = Record<string, DeclaredKey>;

function contract<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'contract', file), 'utf8'));
}

const settings = contract<{ jsonData: Declared; secureJsonData: Declared }>('settings.json');
const query = contract<{ query: Declared; editorOnly: Declared }>('query.json');

/** Every declared default of a section, and the keys a defaults object of types.ts must not hold. */
function expectSameDefaults(declared: Declared, defaults: Record<string, unknown>) {
  for (const [key, spec] of Object.entries(declared)) {
    if (spec.default !== undefined) {
      expect({ key, value: defaults[key] }).toEqual({ key, value: spec.default });
    } else {
      expect({ key, inDefaults: key in defaults }).toEqual({ key, inDefaults: false });
    }
  }
  expect(Object.keys(defaults).filter((k) => !(k in declared))).toEqual([]);
}

describe('the declared contract (contract/*.json)', () => {
  it('lists exactly the jsonData keys of CqlOptions', () => {
    expect(Object.keys(settings.jsonData).sort()).toEqual([...JSON_DATA_KEYS].sort());
  });

  it('lists exactly the secureJsonData keys of CqlSecureJsonData', () => {
    expect(Object.keys(settings.secureJsonData).sort()).toEqual([...SECURE_JSON_KEYS].sort());
  });

  it('lists exactly the query keys of CqlQuery', () => {
    expect(Object.keys(query.query).sort()).toEqual([...QUERY_KEYS].sort());
  });

  it('lists exactly the editor-only query keys, apart from the query model the backend reads', () => {
    expect(Object.keys(query.editorOnly).sort()).toEqual([...EDITOR_QUERY_KEYS].sort());
    expect(Object.keys(query.query).filter((k) => EDITOR_QUERY_KEYS.includes(k))).toEqual([]);
  });

  it('has the same jsonData defaults', () => {
    expectSameDefaults(settings.jsonData, DEFAULT_OPTIONS);
  });

  it('has the same query defaults and stream interval minimum', () => {
    expectSameDefaults(query.query, DEFAULT_QUERY_VALUES);
    expect(MIN_STREAM_INTERVAL_MS).toBe(query.query.streamIntervalMs.minimum);
  });

  it('names every consistency level the settings page offers', () => {
    expect([...CONSISTENCY_LEVELS].sort()).toEqual([...(settings.jsonData.consistency.values ?? [])].sort());
  });

  it('offers the aggregates the backend accepts', () => {
    expect([...AGGREGATES].sort()).toEqual([...(query.query.aggregate.values ?? [])].sort());
  });
});
