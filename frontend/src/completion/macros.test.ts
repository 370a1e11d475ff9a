import backend from './backend-macros.json';
import { MACROS } from './macros';

/** `$__timeFilter(column)` → `$__timeFilter`: the name as the backend lists it. */
const nameOf = (label: string) => label.replace(/\(.*$/, '');

describe('completion macros', () => {
  it('offers exactly the macros the backend expands (backend-macros.json, checked against Macros.java)', () => {
    const offered = Array.from(new Set(MACROS.map((m) => nameOf(m.label)))).sort();
    expect(offered).toEqual([...backend.macros].sort());
  });

  it('inserts each macro by its own name', () => {
    for (const m of MACROS) {
      expect(m.snippet.replace(/^\\/, '').startsWith(nameOf(m.label))).toBe(true);
    }
  });
});
