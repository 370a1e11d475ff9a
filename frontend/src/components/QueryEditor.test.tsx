import React from 'react';
import { setTemplateSrv } from '@grafana/runtime';
import { act, fireEvent, render, screen } from '@testing-library/react';

import { CqlDataSource } from '../datasource';
import { FakeModel, registeredProviders } from '../testing/FakeCodeEditor';
import { fakeDataSource } from '../testing/fakeDataSource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { fastUser, User } from '../testing/user';
import { CqlQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Monaco cannot run in jsdom: only the code editor is replaced (see testing/FakeCodeEditor.tsx).
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../testing/FakeCodeEditor').FakeCodeEditor,
}));

function datasource(): CqlDataSource {
  return fakeDataSource(
    { metrics: { cpu: [{ name: 'ts', type: 'timestamp', kind: 'clustering' }] }, system: {} },
    'metrics'
  );
}

/** Holds the query like Grafana's query row does: every onChange is rendered back into the editor. */
function Stateful(props: {
  initial: CqlQuery;
  onChange: (q: CqlQuery) => void;
  onRunQuery: () => void;
  ds: CqlDataSource;
}) {
  const [query, setQuery] = React.useState(props.initial);
  return (
    <QueryEditor
      query={query}
      onChange={(q) => {
        props.onChange(q);
        setQuery(q);
      }}
      onRunQuery={props.onRunQuery}
      datasource={props.ds}
    />
  );
}

function setup(query: Partial<CqlQuery> = {}, ds = datasource()) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const initial: CqlQuery = { refId: 'A', ...query };
  const view = render(<Stateful initial={initial} onChange={onChange} onRunQuery={onRunQuery} ds={ds} />);
  // the output options sit in the collapsed Options row, as in Grafana's Prometheus and Loki editors
  fireEvent.click(screen.getByText('Options'));
  const lastChange = (): CqlQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, onRunQuery, lastChange, ds, ...view };
}

let user: User;
beforeEach(() => {
  user = fastUser();
});

describe('QueryEditor', () => {
  beforeEach(() => {
    registeredProviders.length = 0;
    setTemplateSrv(new FakeTemplateSrv({ host: "o'brien" }));
  });

  it('shows the CQL and sends every edit', () => {
    const { lastChange, onChange } = setup({ cql: 'SELECT * FROM cpu', format: 'table' });
    const editor = screen.getByLabelText('CQL editor');
    expect(editor).toHaveValue('SELECT * FROM cpu');
    fireEvent.change(editor, { target: { value: 'SELECT ts FROM cpu' } });
    expect(lastChange()).toEqual({ refId: 'A', cql: 'SELECT ts FROM cpu', format: 'table' });
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('runs the query on Shift+Enter with the text typed so far', () => {
    const { onRunQuery, lastChange } = setup({ cql: 'SELECT 1' });
    const editor = screen.getByLabelText('CQL editor');
    fireEvent.change(editor, { target: { value: 'SELECT now() FROM system.local' } });
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.keyDown(editor, { key: 'Enter', shiftKey: true });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(lastChange().cql).toBe('SELECT now() FROM system.local');
  });

  it('does not run on a plain Enter', () => {
    const { onRunQuery } = setup({ cql: 'SELECT 1' });
    fireEvent.keyDown(screen.getByLabelText('CQL editor'), { key: 'Enter' });
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('changes the format and runs the query', async () => {
    const { onRunQuery, lastChange } = setup({ cql: 'SELECT 1', format: 'table' });
    expect(screen.getByText('Table')).toBeInTheDocument();
    await user.click(screen.getByLabelText('Format'));
    await user.click(screen.getByText('Time series'));
    expect(lastChange()).toEqual({ refId: 'A', cql: 'SELECT 1', format: 'time_series' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('updates time column, alias and row limit, and runs when a field is left', async () => {
    const { lastChange, onRunQuery } = setup({ cql: 'x' });
    // the time column is a picker that also takes any name typed; choosing one runs the query
    await user.type(screen.getByLabelText('Time column'), 'event_time{enter}');
    expect(lastChange().timeColumn).toBe('event_time');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    onRunQuery.mockClear();
    fireEvent.change(screen.getByLabelText('Alias'), { target: { value: '{{host}} {{column}}' } });
    expect(lastChange().alias).toBe('{{host}} {{column}}');
    fireEvent.change(screen.getByLabelText('Row limit'), { target: { value: '500' } });
    expect(lastChange().rowLimit).toBe(500);
    fireEvent.change(screen.getByLabelText('Row limit'), { target: { value: '' } });
    expect(lastChange().rowLimit).toBeUndefined();
    fireEvent.blur(screen.getByLabelText('Row limit'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('flags a row limit below 1', () => {
    setup({ cql: 'x' });
    expect(screen.queryByText('Row limit must be a whole number of at least 1')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Row limit'), { target: { value: '0' } });
    expect(screen.getByText('Row limit must be a whole number of at least 1')).toBeInTheDocument();
  });

  it('asks for a fill value only when filling with a value', async () => {
    const { lastChange } = setup({ cql: 'x', fill: 'none' });
    expect(screen.queryByLabelText('Fill value')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Fill'));
    await user.click(screen.getByText('Previous'));
    expect(lastChange().fill).toBe('previous');
    expect(screen.queryByLabelText('Fill value')).not.toBeInTheDocument();

    await user.click(screen.getByLabelText('Fill'));
    await user.click(screen.getByText('Value'));
    fireEvent.change(screen.getByLabelText('Fill value'), { target: { value: '-1.5' } });
    expect(lastChange()).toEqual({ refId: 'A', cql: 'x', fill: 'value', fillValue: -1.5 });
  });

  it('downsamples a time series to one point per interval with an aggregate, and checks the duration', async () => {
    const { lastChange, onRunQuery } = setup({ cql: 'x', format: 'table' });
    expect(screen.queryByLabelText('Downsample')).not.toBeInTheDocument(); // time series only
    await user.click(screen.getByLabelText('Format'));
    await user.click(screen.getByText('Time series'));
    expect(screen.queryByLabelText('Aggregate')).not.toBeInTheDocument(); // until a bucket is set
    fireEvent.change(screen.getByLabelText('Downsample'), { target: { value: '5 minutes' } });
    expect(screen.getByText('A duration such as 500ms, 30s, 5m, 1h, 1d, or $__interval')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Downsample'), { target: { value: '$__interval' } });
    expect(screen.queryByText('A duration such as 500ms, 30s, 5m, 1h, 1d, or $__interval')).not.toBeInTheDocument();
    expect(lastChange().timeGroup).toBe('$__interval');
    onRunQuery.mockClear();
    await user.click(screen.getByLabelText('Aggregate'));
    await user.click(screen.getByText('max'));
    expect(lastChange()).toEqual({
      refId: 'A',
      cql: 'x',
      format: 'time_series',
      timeGroup: '$__interval',
      aggregate: 'max',
    });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.change(screen.getByLabelText('Downsample'), { target: { value: '' } });
    expect(lastChange().timeGroup).toBeUndefined();
    expect(screen.queryByLabelText('Aggregate')).not.toBeInTheDocument();
  });

  it('turns streaming on and checks the interval', async () => {
    const { lastChange, onRunQuery } = setup({ cql: 'x' });
    expect(screen.queryByLabelText('Every (ms)')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Stream'));
    expect(lastChange().stream).toBe(true);
    expect(onRunQuery).toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Every (ms)'), { target: { value: '100' } });
    expect(screen.getByText('Stream interval must be at least 250 ms')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Every (ms)'), { target: { value: '2000' } });
    expect(lastChange().streamIntervalMs).toBe(2000);
    expect(screen.queryByText('Stream interval must be at least 250 ms')).not.toBeInTheDocument();
  });

  it('previews the CQL with variables filled in and macros kept', async () => {
    setup({ cql: 'SELECT * FROM cpu WHERE host = $host AND $__timeFilter(ts)' });
    expect(screen.queryByTestId('cql-preview')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Preview'));
    expect(screen.getByTestId('cql-preview')).toHaveTextContent(
      "SELECT * FROM cpu WHERE host = 'o''brien' AND $__timeFilter(ts)"
    );
  });

  it('registers completion for its own editor only, and removes it on unmount', async () => {
    const { unmount } = setup({ cql: 'SELECT  FROM cpu' });
    expect(registeredProviders).toHaveLength(1);
    const { language, provider } = registeredProviders[0];
    expect(language).toBe('sql');
    expect(provider.triggerCharacters).toEqual(['.', '$']);

    const modelId = screen.getByLabelText('CQL editor').getAttribute('data-model-id')!;
    const model = new FakeModel(modelId, 'SELECT  FROM cpu');
    const { suggestions } = await provider.provideCompletionItems(model, { lineNumber: 1, column: 8 });
    expect(suggestions.find((s) => s.label === 'ts')).toMatchObject({ detail: 'timestamp', kind: 3 });
    expect(suggestions.some((s) => s.label === 'SELECT')).toBe(true);

    const tables = await provider.provideCompletionItems(new FakeModel(modelId, 'SELECT * FROM '), {
      lineNumber: 1,
      column: 15,
    });
    expect(tables.suggestions.map((s) => s.label)).toEqual(['cpu', 'metrics', 'system']);

    const other = await provider.provideCompletionItems(new FakeModel('another-editor', 'SELECT '), {
      lineNumber: 1,
      column: 8,
    });
    expect(other.suggestions).toEqual([]);

    unmount();
    expect(registeredProviders[0].disposed).toBe(true);
  });

  it('still completes keywords when the schema resources fail', async () => {
    const ds = datasource();
    (ds.getResource as jest.Mock).mockRejectedValue({
      status: 500,
      data: { error: 'All host(s) tried for query failed' },
    });
    setup({ cql: 'SEL FROM cpu' }, ds);
    const modelId = screen.getByLabelText('CQL editor').getAttribute('data-model-id')!;
    let result: { suggestions: Array<{ label: string }> } = { suggestions: [] };
    await act(async () => {
      result = await registeredProviders[0].provider.provideCompletionItems(new FakeModel(modelId, 'SEL FROM cpu'), {
        lineNumber: 1,
        column: 4,
      });
    });
    expect(result.suggestions.map((s) => s.label)).toContain('SELECT');
    expect(result.suggestions.some((s) => s.label === 'ts')).toBe(false);
  });
});
