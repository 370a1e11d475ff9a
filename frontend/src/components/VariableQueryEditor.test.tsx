import React from 'react';
import { DataSourceInstanceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';

import { CqlDataSource } from '../datasource';
import { CqlOptions, CqlQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../testing/FakeCodeEditor').FakeCodeEditor,
}));

const ds = new CqlDataSource({
  uid: 'u',
  type: 'opencql-cql-datasource',
  name: 'CQL',
  jsonData: {},
  meta: { id: 'opencql-cql-datasource' },
} as DataSourceInstanceSettings<CqlOptions>);

function setup(query: CqlQuery | string) {
  const onChange = jest.fn();
  render(<VariableQueryEditor query={query as CqlQuery} onChange={onChange} onRunQuery={jest.fn()} datasource={ds} />);
  return { onChange, editor: screen.getByLabelText('CQL editor') };
}

describe('VariableQueryEditor', () => {
  it('commits the CQL as a table query when the editor is left, not on every key', () => {
    const { onChange, editor } = setup({ refId: 'v', cql: '' });
    fireEvent.change(editor, { target: { value: 'SELECT host FROM hosts' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(editor);
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', cql: 'SELECT host FROM hosts', format: 'table' });
  });

  it('commits on Shift+Enter too', () => {
    const { onChange, editor } = setup({ refId: 'v', cql: '' });
    fireEvent.change(editor, { target: { value: 'SELECT dc FROM dcs' } });
    fireEvent.keyDown(editor, { key: 'Enter', shiftKey: true });
    expect(onChange).toHaveBeenCalledWith({ refId: 'v', cql: 'SELECT dc FROM dcs', format: 'table' });
  });

  it('opens a query stored as a bare string', () => {
    const { editor, onChange } = setup('SELECT host FROM hosts');
    expect(editor).toHaveValue('SELECT host FROM hosts');
    fireEvent.blur(editor);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('explains where the options come from', () => {
    setup({ refId: 'v' });
    expect(screen.getByText(/The first column gives the options/)).toBeInTheDocument();
  });
});
