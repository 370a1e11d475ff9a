/*
 * Query variables: the variable's CQL runs through the backend like any panel query (so chained variables get
 * their parent's value interpolated, quoted, by applyTemplateVariables), and the result becomes the options.
 * Columns named __value and __text give value and display text separately; otherwise the first column gives both.
 */
import { CustomVariableSupport, DataFrame, DataQueryRequest, DataQueryResponse, MetricFindValue } from '@grafana/data';
import { map, Observable } from 'rxjs';

import type { CqlDataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { CqlQuery } from './types';

function findField(frame: DataFrame, name: string) {
  return frame.fields.find((f) => f.name.toLowerCase() === name);
}

/** Turns result frames into variable options, in row order, without duplicates. */
export function framesToOptions(frames: DataFrame[]): MetricFindValue[] {
  const options: MetricFindValue[] = [];
  const seen = new Set<string>();
  for (const frame of frames) {
    if (!frame.fields.length) {
      continue;
    }
    const valueField = findField(frame, '__value');
    const textField = findField(frame, '__text');
    const values = valueField ?? textField ?? frame.fields[0];
    const texts = textField ?? values;
    for (let i = 0; i < frame.length; i++) {
      const value = values.values[i];
      if (value === null || value === undefined) {
        continue;
      }
      const rawText = texts.values[i];
      const text = rawText === null || rawText === undefined ? String(value) : String(rawText);
      const option: MetricFindValue = { text, value: typeof value === 'number' ? value : String(value) };
      const key = `${option.value}\u0000${text}`;
      if (!seen.has(key)) {
        seen.add(key);
        options.push(option);
      }
    }
  }
  return options;
}

/** A variable query as stored by older dashboards may be a bare string. */
export function toVariableQuery(query: CqlQuery | string, refId: string): CqlQuery {
  const q: CqlQuery = typeof query === 'string' ? { refId, cql: query } : { ...query };
  return { ...q, refId: q.refId || refId, format: 'table', stream: false };
}

export class CqlVariableSupport extends CustomVariableSupport<CqlDataSource, CqlQuery, CqlQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: CqlDataSource) {
    super();
  }

  query(request: DataQueryRequest<CqlQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map((t, i) => toVariableQuery(t as CqlQuery | string, t?.refId || `variable-${i}`));
    return this.datasource
      .query({ ...request, targets })
      .pipe(map((response) => ({ ...response, data: framesToOptions(response.data as DataFrame[]) })));
  }
}
