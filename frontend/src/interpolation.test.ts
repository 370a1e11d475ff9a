import { ScopedVars } from '@grafana/data';

import { formatCqlValue, interpolateCql, interpolatePlain, isCqlNumber, quoteCqlString } from './interpolation';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';

type Token = { kind: 'string'; value: string } | { kind: 'other'; text: string };

/**
 * A CQL lexer reduced to what matters here: string literals ('...' with '' as an escaped quote) and everything
 * else split on whitespace and punctuation. If a value could break out of its literal, the token list of the
 * interpolated query would differ from the template's outside that one literal.
 */
function lex(cql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < cql.length) {
    const c = cql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= cql.length) {
          throw new Error(`unterminated string literal in: ${cql}`);
        }
        if (cql[i] === "'" && cql[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (cql[i] === "'") {
          i++;
          break;
        } else {
          value += cql[i++];
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (/[\w$.]/.test(c)) {
      let text = '';
      while (i < cql.length && /[\w$.]/.test(cql[i])) {
        text += cql[i++];
      }
      tokens.push({ kind: 'other', text });
    } else {
      tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

const INJECTION = "x' OR 'a'='a";

describe('quoting values for CQL', () => {
  it('doubles embedded quotes inside one literal', () => {
    expect(quoteCqlString(INJECTION)).toBe("'x'' OR ''a''=''a'");
  });

  it("cannot be broken out of: x' OR 'a'='a stays one string literal", () => {
    const srv = new FakeTemplateSrv({ host: INJECTION });
    const cql = interpolateCql('SELECT * FROM metrics WHERE host = $host AND ts > 0', srv);

    expect(cql).toBe("SELECT * FROM metrics WHERE host = 'x'' OR ''a''=''a' AND ts > 0");
    expect(lex(cql)).toEqual([
      ...lex('SELECT * FROM metrics WHERE host ='),
      { kind: 'string', value: INJECTION },
      ...lex('AND ts > 0'),
    ]);
  });

  it('keeps hostile values inside their literals in every form: quoted reference, multi-value, scoped', () => {
    const hostile = ["'", "''", "a'); DROP TABLE x; --", "\\'", "' OR ''='"];
    for (const value of hostile) {
      const srv = new FakeTemplateSrv({ one: value, many: [value, 'b'] });
      const cql = interpolateCql(
        "SELECT * FROM t WHERE a = $one AND b = '${one}' AND c IN ($many) AND d = $scoped",
        srv,
        { scoped: { text: value, value } }
      );
      const strings = lex(cql).filter((t) => t.kind === 'string');
      expect(strings).toEqual([
        { kind: 'string', value },
        { kind: 'string', value },
        { kind: 'string', value },
        { kind: 'string', value: 'b' },
        { kind: 'string', value },
      ]);
    }
  });

  it('turns a multi-value selection into a list for IN (...)', () => {
    const srv = new FakeTemplateSrv({ hosts: ['web-1', "o'brien", '42'] });
    expect(interpolateCql('WHERE host IN ($hosts)', srv)).toBe("WHERE host IN ('web-1','o''brien',42)");
  });

  it('leaves plain decimal numbers unquoted and quotes everything else', () => {
    for (const n of ['0', '42', '-7', '3.14', '1e3', '-2.5E-3']) {
      expect(isCqlNumber(n)).toBe(true);
      expect(formatCqlValue(n)).toBe(n);
    }
    for (const s of ['', ' 1', '0x1F', 'NaN', 'Infinity', '1e', '12abc', '1,5', '--1']) {
      expect(isCqlNumber(s)).toBe(false);
      expect(formatCqlValue(s)).toBe(quoteCqlString(s));
    }
    expect(formatCqlValue(5)).toBe('5');
  });

  it('treats a reference written inside quotes as text, even when it looks like a number', () => {
    const srv = new FakeTemplateSrv({ zip: '01234', ids: ['1', '2'] });
    expect(interpolateCql("WHERE zip = '$zip' AND z2 = '${zip}' AND id IN ('$ids')", srv)).toBe(
      "WHERE zip = '01234' AND z2 = '01234' AND id IN ('1','2')"
    );
  });

  it('honours an explicit format such as ${table:raw} for identifiers', () => {
    const srv = new FakeTemplateSrv({ table: 'metrics_by_day' });
    expect(interpolateCql('SELECT * FROM ks.${table:raw}', srv)).toBe('SELECT * FROM ks.metrics_by_day');
  });

  it('leaves macros and $__interval for the backend', () => {
    const srv = new FakeTemplateSrv({});
    const scoped: ScopedVars = {
      __interval: { text: '1m', value: '1m' },
      __interval_ms: { text: '60000', value: '60000' },
    };
    const cql =
      'SELECT * FROM t WHERE $__timeFilter(ts) AND day IN ($__timeBuckets(day)) AND b > $__interval_ms -- $__interval';
    expect(interpolateCql(cql, srv, scoped)).toBe(cql);
  });

  it('leaves unknown variables as written, quotes included', () => {
    const srv = new FakeTemplateSrv({});
    expect(interpolateCql("WHERE a = $nope AND b = '$nope'", srv)).toBe("WHERE a = $nope AND b = '$nope'");
  });

  it('never interpolates a substituted value a second time', () => {
    const srv = new FakeTemplateSrv({ a: '$b', b: "x' OR 'y" });
    expect(interpolateCql("WHERE c = $a AND d = '$a'", srv)).toBe("WHERE c = '$b' AND d = '$b'");
  });

  it('fills IN ($var) with one literal per value, an injection attempt included', () => {
    const srv = new FakeTemplateSrv({ host: ['web-1', "x' OR 'a'='a"] });
    const template = 'SELECT * FROM cpu WHERE host IN ($host) AND v > 0';
    const out = interpolateCql(template, srv);
    expect(out).toBe("SELECT * FROM cpu WHERE host IN ('web-1','x'' OR ''a''=''a') AND v > 0");
    expect(lex(out).filter((t) => t.kind === 'string')).toEqual([
      { kind: 'string', value: 'web-1' },
      { kind: 'string', value: "x' OR 'a'='a" },
    ]);
  });

  it('fills the plain references of text variables as text, numbers included, and nothing else', () => {
    const srv = new FakeTemplateSrv({ host: ['101', "o'brien"], hostname: '7', n: '5' });
    const out = interpolateCql(
      'WHERE host IN ($host) AND a = ${host} AND b = [[host]] AND c = $hostname AND d = $n AND e = ${host:raw}',
      srv,
      {},
      ['host']
    );
    expect(out).toBe(
      "WHERE host IN ('101','o''brien') AND a = '101','o''brien' AND b = '101','o''brien' AND c = 7 AND d = 5 AND e = 101,o'brien"
    );
    // a name that is not a word cannot be a reference and is ignored
    expect(interpolateCql('WHERE x = $n', srv, {}, ['n)|(.*'])).toBe('WHERE x = 5');
  });

  it('fills names and display text without quotes', () => {
    const srv = new FakeTemplateSrv({ col: 'event_time', hosts: ['a', 'b'] });
    expect(interpolatePlain('$col', srv)).toBe('event_time');
    expect(interpolatePlain('{{column}} on $hosts', srv)).toBe('{{column}} on a,b');
    expect(interpolatePlain(undefined, srv)).toBeUndefined();
  });
});
