import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { CqlDataSource } from './datasource';
import { CqlOptions, CqlQuery, CqlSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<CqlDataSource, CqlQuery, CqlOptions, CqlSecureJsonData>(CqlDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
