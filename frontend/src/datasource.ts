import { AnnotationQuery, CoreApp, DataQueryRequest, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { textVariablesOf } from './builder/applyBuilder';
import { interpolateCql, interpolatePlain, interpolateTimeGroup } from './interpolation';
import { SchemaCache } from './schema';
import { CqlOptions, CqlQuery, DEFAULT_QUERY, SELFTEST_QUERY_TYPE } from './types';
import { CqlVariableSupport } from './variables';

export class CqlDataSource extends DataSourceWithBackend<CqlQuery, CqlOptions> {
  /** Keyspace for unqualified table names: `jsonData.keyspace`, else the top-level `database`. */
  readonly defaultKeyspace?: string;
  readonly schema: SchemaCache;

  constructor(instanceSettings: DataSourceInstanceSettings<CqlOptions>) {
    super(instanceSettings);
    // the top-level "database" field is part of the settings contract (README "Configuration")
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    this.defaultKeyspace = instanceSettings.jsonData?.keyspace || instanceSettings.database || undefined;
    this.schema = new SchemaCache((path, params) => this.getResource(path, params), this.defaultKeyspace);
    this.variables = new CqlVariableSupport(this);
    // Standard annotation flow: the query editor below, the result's time / timeend / text / tags columns
    // mapped to the annotation's fields. A time series would be reshaped long-to-wide, so always ask for a table.
    this.annotations = {
      getDefaultQuery: () => ({ ...DEFAULT_QUERY }),
      prepareQuery: (anno: AnnotationQuery<CqlQuery>) =>
        anno.target && this.filterQuery(anno.target) ? { ...anno.target, format: 'table', stream: false } : undefined,
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<CqlQuery> {
    return { ...DEFAULT_QUERY };
  }

  /** Empty queries are not sent (a new panel would otherwise show an error). */
  filterQuery(query: CqlQuery): boolean {
    return query.queryType === SELFTEST_QUERY_TYPE || Boolean(query.cql?.trim());
  }

  applyTemplateVariables(query: CqlQuery, scopedVars: ScopedVars): CqlQuery {
    const templateSrv = getTemplateSrv();
    return {
      ...query,
      cql:
        query.cql === undefined
          ? undefined
          : interpolateCql(query.cql, templateSrv, scopedVars, textVariablesOf(query)),
      alias: interpolatePlain(query.alias, templateSrv, scopedVars),
      timeColumn: interpolatePlain(query.timeColumn, templateSrv, scopedVars),
      timeGroup: interpolateTimeGroup(query.timeGroup, templateSrv, scopedVars),
    };
  }

  /** Explore and "copy to other data source" use this to show the query with variables filled in. */
  interpolateVariablesInQueries(queries: CqlQuery[], scopedVars: ScopedVars): CqlQuery[] {
    return queries.map((q) => ({ ...this.applyTemplateVariables(q, scopedVars), datasource: this.getRef() }));
  }

  /** The text the backend would receive for this query, as the editor's preview shows it. */
  previewCql(query: CqlQuery, request?: Pick<DataQueryRequest, 'scopedVars'>): string {
    return interpolateCql(query.cql ?? '', getTemplateSrv(), request?.scopedVars ?? {}, textVariablesOf(query));
  }

  /** Names of the dashboard's template variables, for completion. */
  variableNames(): string[] {
    try {
      return getTemplateSrv()
        .getVariables()
        .map((v) => v.name);
    } catch {
      return [];
    }
  }
}
