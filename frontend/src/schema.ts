/*
 * Keyspaces, tables and columns for the editors, read from the backend's resources and kept for a few minutes.
 * A failed call (node down, no permission, backend error) yields an empty list and is retried next time: the
 * editor must keep working without a schema.
 */
import { CqlColumn } from './types';
import { SchemaSource } from './completion/suggest';

/** The resource calls of DataSourceWithBackend, reduced to what this file needs. */
export type ResourceGetter = <T>(path: string, params?: Record<string, string>) => Promise<T>;

const TTL_MS = 5 * 60 * 1000;

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isColumnArray(v: unknown): v is CqlColumn[] {
  return (
    Array.isArray(v) &&
    v.every((c) => c !== null && typeof c === 'object' && typeof c.name === 'string' && typeof c.type === 'string')
  );
}

export class SchemaCache implements SchemaSource {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly get: ResourceGetter,
    readonly defaultKeyspace?: string,
    private readonly now: () => number = Date.now
  ) {}

  getKeyspaces(): Promise<string[]> {
    return this.cached('keyspaces', () => this.fetch('keyspaces', undefined, isStringArray));
  }

  getTables(keyspace: string): Promise<string[]> {
    return this.cached(`tables/${keyspace}`, () => this.fetch('tables', { keyspace }, isStringArray));
  }

  getColumns(keyspace: string, table: string): Promise<CqlColumn[]> {
    return this.cached(`columns/${keyspace}/${table}`, () => this.fetch('columns', { keyspace, table }, isColumnArray));
  }

  private async fetch<T>(path: string, params: Record<string, string> | undefined, valid: (v: unknown) => v is T[]) {
    const value = await this.get<unknown>(path, params);
    if (!valid(value)) {
      throw new Error(`unexpected answer from resource ${path}`);
    }
    return value;
  }

  private cached<T>(key: string, load: () => Promise<T[]>): Promise<T[]> {
    const hit = this.entries.get(key) as Entry<T[]> | undefined;
    if (hit && this.now() - hit.at < TTL_MS) {
      return hit.value;
    }
    const value = load().catch(() => {
      // forget the failure so the next completion request asks again
      this.entries.delete(key);
      return [] as T[];
    });
    this.entries.set(key, { at: this.now(), value });
    return value;
  }
}
