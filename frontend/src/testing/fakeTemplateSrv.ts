/*
 * A stand-in for Grafana's template service with the same substitution rules the real one applies:
 * $var, ${var}, ${var:format}, [[var]]; scoped variables win over dashboard variables; an explicit
 * ${var:format} wins over the formatter the caller passes; unknown names stay as written.
 */
import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

type Value = string | string[];

const REFERENCE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

function applyFormat(value: Value, format: unknown, name: string): string {
  if (typeof format === 'function') {
    return format(value, { name });
  }
  switch (format) {
    case 'raw':
    case 'csv':
      return Array.isArray(value) ? value.join(',') : value;
    case 'pipe':
      return Array.isArray(value) ? value.join('|') : value;
    default:
      return Array.isArray(value) ? `{${value.join(',')}}` : value;
  }
}

export class FakeTemplateSrv implements TemplateSrv {
  constructor(public variables: Record<string, Value> = {}) {}

  getVariables(): TypedVariableModel[] {
    return Object.keys(this.variables).map((name) => ({ name, type: 'custom' }) as unknown as TypedVariableModel);
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(REFERENCE, (match, var1, var2, fmt2, var3, _path, fmt3) => {
      const name: string = var1 || var2 || var3;
      const fmt = fmt2 || fmt3 || format;
      const scoped = scopedVars?.[name];
      if (scoped) {
        return applyFormat(scoped.value as Value, fmt, name);
      }
      const value = this.variables[name];
      return value === undefined ? match : applyFormat(value, fmt, name);
    });
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && target.match(REFERENCE));
  }

  updateTimeRange(): void {}
}
