/*
 * A CqlDataSource for editor tests whose schema resources (keyspaces, tables, columns) answer from a fixed
 * schema instead of the backend.
 */
import { DataSourceInstanceSettings } from '@grafana/data';

import { CqlDataSource } from '../datasource';
import { CqlColumn, CqlOptions } from '../types';

/** keyspace → table → columns, in the order the columns resource lists them */
export type FakeSchema = Record<string, Record<string, CqlColumn[]>>;

export function fakeDataSource(schema: FakeSchema, defaultKeyspace: string): CqlDataSource {
  const ds = new CqlDataSource({
    uid: 'u',
    type: 'opencql-cql-datasource',
    name: 'CQL',
    jsonData: { keyspace: defaultKeyspace },
    meta: { id: 'opencql-cql-datasource' },
  } as DataSourceInstanceSettings<CqlOptions>);
  jest.spyOn(ds, 'getResource').mockImplementation(async (path: string, params?: Record<string, unknown>) => {
    const ks = String(params?.keyspace ?? '');
    switch (path) {
      case 'keyspaces':
        return Object.keys(schema);
      case 'tables':
        return Object.keys(schema[ks] ?? {});
      case 'columns':
        return schema[ks]?.[String(params?.table)] ?? [];
      default:
        throw new Error('unknown');
    }
  });
  return ds;
}
