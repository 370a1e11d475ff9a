import React from 'react';
import { setTemplateSrv } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { CqlDataSource } from '../datasource';
import { fakeDataSource, FakeSchema } from '../testing/fakeDataSource';
import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { fastUser, User } from '../testing/user';
import { CqlQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Monaco cannot run in jsdom: only the code editor is replaced (see testing/FakeCodeEditor.tsx).
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: jest.requireActual('../testing/FakeCodeEditor').FakeCodeEditor,
}));

const SCHEMA: FakeSchema = {
  demo: {
    readings: [
      { name: 'sensor', type: 'text', kind: 'partition_key' },
      { name: 'day', type: 'date', kind: 'partition_key' },
      { name: 'ts', type: 'timestamp', kind: 'clustering' },
      { name: 'seq', type: 'int', kind: 'clustering' },
      { name: 'site', type: 'text', kind: 'static' },
      { name: 'temperature', type: 'double', kind: 'regular' },
      { name: 'humidity', type: 'float', kind: 'regular' },
    ],
    events: [
      { name: 'id', type: 'uuid', kind: 'partition_key' },
      { name: 'created', type: 'timestamp', kind: 'regular' },
      { name: 'Seen At', type: 'timestamp', kind: 'regular' },
      { name: 'note', type: 'text', kind: 'regular' },
      { name: 'order', type: 'int', kind: 'regular' },
    ],
  },
  other: { logs: [{ name: 'at', type: 'date', kind: 'partition_key' }] },
};

function datasource(): CqlDataSource {
  return fakeDataSource(SCHEMA, 'demo');
}

function Stateful(props: { initial: CqlQuery; onChange: (q: CqlQuery) => void; onRunQuery: () => void }) {
  const [query, setQuery] = React.useState(props.initial);
  const [ds] = React.useState(datasource);
  return (
    <QueryEditor
      query={query}
      onChange={(q) => {
        props.onChange(q);
        setQuery(q);
      }}
      onRunQuery={props.onRunQuery}
      datasource={ds}
    />
  );
}

function setup(query: Partial<CqlQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(<Stateful initial={{ refId: 'A', ...query }} onChange={onChange} onRunQuery={onRunQuery} />);
  const lastChange = (): CqlQuery => onChange.mock.calls[onChange.mock.calls.length - 1][0];
  return { onChange, onRunQuery, lastChange };
}

/**
 * Opens a Select by its label and picks the option with this text. Direct events (the key that opens the menu,
 * a click on the option) instead of a simulated pointer sequence: react-select answers both the same way, and
 * each extra event re-renders the whole editor.
 */
async function pick(label: string | HTMLElement, option: string) {
  const input = typeof label === 'string' ? screen.getByLabelText(label) : label;
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  const menu = await screen.findByLabelText('Select options menu');
  fireEvent.click(await within(menu).findByText(option, { exact: true }));
}

async function menuOptions(label: string): Promise<string[]> {
  await user.click(screen.getByLabelText(label));
  const menu = await screen.findByLabelText('Select options menu');
  // the options of a list that loads when it opens appear after the menu itself
  const options = (await within(menu).findAllByRole('option')).map(
    (o) => o.querySelector('span')?.textContent ?? o.textContent ?? ''
  );
  await user.keyboard('{Escape}');
  return options;
}

const generated = () => screen.getByTestId('cql-builder-cql').textContent;

async function toBuilder() {
  await user.click(screen.getByLabelText('Builder'));
  await screen.findByTestId('cql-query-builder');
}

let user: User;
beforeEach(() => {
  user = fastUser();
});

describe('Builder / Code mode switch', () => {
  beforeEach(() => setTemplateSrv(new FakeTemplateSrv({ sensor: 's1' })));

  it('opens existing and new queries in code mode', () => {
    setup({ cql: 'SELECT * FROM readings' });
    expect(screen.getByLabelText('Code')).toBeChecked();
    expect(screen.getByLabelText('CQL editor')).toHaveValue('SELECT * FROM readings');
    expect(screen.queryByTestId('cql-query-builder')).not.toBeInTheDocument();
  });

  it('goes to the builder without asking when there is no CQL yet', async () => {
    const { lastChange } = setup({ cql: '' });
    await toBuilder();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(lastChange()).toMatchObject({ editorMode: 'builder', builder: { keyspace: 'demo' }, cql: '' });
    expect(screen.queryByLabelText('CQL editor')).not.toBeInTheDocument();
    // the keyspace defaults to the data source's
    expect(screen.getByTestId('cql-query-builder')).toHaveTextContent('demo');
  });

  it('warns before hand-written CQL is replaced, and keeps it when the user says so', async () => {
    const { lastChange, onChange } = setup({ cql: 'SELECT ts, temperature FROM readings WHERE sensor = 1' });
    await user.click(screen.getByLabelText('Builder'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('edited by hand');
    await user.click(within(dialog).getByRole('button', { name: 'Keep the code' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByLabelText('CQL editor')).toHaveValue('SELECT ts, temperature FROM readings WHERE sensor = 1');

    await user.click(screen.getByLabelText('Builder'));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Use the builder' }));
    // the builder starts from the table the CQL named
    expect(lastChange()).toMatchObject({
      editorMode: 'builder',
      builder: { keyspace: 'demo', table: 'readings' },
      cql: 'SELECT *\nFROM readings',
    });
  });

  it('keeps the generated CQL when going to code, and returns to the builder without asking if it is unchanged', async () => {
    const { lastChange } = setup({
      editorMode: 'builder',
      builder: { table: 'readings', timeColumn: 'ts' },
      cql: 'SELECT ts\nFROM readings\nWHERE $__timeFilter(ts)',
    });
    expect(screen.getByLabelText('Builder')).toBeChecked();
    await user.click(screen.getByLabelText('Code'));
    expect(lastChange().editorMode).toBe('code');
    expect(screen.getByLabelText('CQL editor')).toHaveValue('SELECT ts\nFROM readings\nWHERE $__timeFilter(ts)');

    await toBuilder();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(lastChange()).toMatchObject({ editorMode: 'builder', builder: { table: 'readings', timeColumn: 'ts' } });

    // edit the text in code mode: now going back asks first
    await user.click(screen.getByLabelText('Code'));
    fireEvent.change(screen.getByLabelText('CQL editor'), { target: { value: lastChange().cql + '\nLIMIT 5' } });
    await user.click(screen.getByLabelText('Builder'));
    expect(await screen.findByRole('dialog')).toHaveTextContent('will be replaced');
  });
});

describe('QueryBuilder', () => {
  beforeEach(() => setTemplateSrv(new FakeTemplateSrv({ sensor: ['s1', "o'brien"] })));

  it('builds a time series query from its fields and writes it into cql', async () => {
    const { lastChange, onRunQuery } = setup({ cql: '', format: 'table' });
    await toBuilder();
    await pick('Table', 'readings');
    expect(lastChange().cql).toBe('SELECT *\nFROM readings');
    expect(onRunQuery).toHaveBeenCalled();

    // timestamp and date columns come first
    const timeOptions = await menuOptions('Time column');
    expect(timeOptions.slice(0, 2)).toEqual(['ts', 'day']);
    await pick('Time column', 'ts');
    expect(lastChange()).toMatchObject({ timeColumn: 'ts', format: 'table' });

    // numeric columns first among the values; text-like columns only among the labels
    expect((await menuOptions('Values')).slice(0, 3)).toEqual(['seq', 'temperature', 'humidity']);
    expect(await menuOptions('Labels')).toEqual(['sensor', 'site']);
    await pick('Values', 'temperature');
    expect(lastChange().format).toBe('time_series');
    await pick('Labels', 'sensor');

    fireEvent.change(screen.getByLabelText('sensor'), { target: { value: '$sensor' } });
    await pick(screen.getByLabelText('sensor operator'), 'IN');
    fireEvent.change(screen.getByLabelText('day'), { target: { value: '$__timeBuckets(day)' } });
    await pick(screen.getByLabelText('day operator'), 'IN');

    const expected = [
      'SELECT ts, sensor, temperature',
      'FROM readings',
      'WHERE sensor IN ($sensor)',
      '  AND day IN ($__timeBuckets(day))',
      '  AND $__timeFilter(ts)',
    ].join('\n');
    expect(lastChange()).toMatchObject({
      editorMode: 'builder',
      format: 'time_series',
      timeColumn: 'ts',
      cql: expected,
      builder: {
        keyspace: 'demo',
        table: 'readings',
        timeColumn: 'ts',
        valueColumns: ['temperature'],
        labelColumns: ['sensor'],
      },
    });
    expect(generated()).toBe(expected);
    expect(screen.queryByTestId('cql-builder-warnings')).not.toBeInTheDocument();

    // the preview shows what the backend receives: text values quoted, the macros left for the backend
    await user.click(screen.getByLabelText('Preview'));
    expect(screen.getByTestId('cql-preview')).toHaveTextContent("WHERE sensor IN ('s1','o''brien')");
  });

  it('shows which partition key columns still need a value', async () => {
    setup({ editorMode: 'builder', builder: { table: 'readings' }, cql: 'SELECT *\nFROM readings' });
    const warning = await screen.findByTestId('cql-builder-warnings');
    expect(warning).toHaveTextContent('Partition key incomplete');
    expect(warning).toHaveTextContent('partition key columns sensor, day');
    fireEvent.change(screen.getByLabelText('sensor'), { target: { value: 's1' } });
    expect(screen.getByTestId('cql-builder-warnings')).toHaveTextContent('partition key column day:');
    fireEvent.change(screen.getByLabelText('day'), { target: { value: '2024-05-01' } });
    expect(screen.queryByTestId('cql-builder-warnings')).not.toBeInTheDocument();
    expect(generated()).toBe("SELECT *\nFROM readings\nWHERE sensor = 's1'\n  AND day = '2024-05-01'");
  });

  it('keeps a typed value one literal and runs the query when the field is left', async () => {
    const { lastChange, onRunQuery } = setup({ editorMode: 'builder', builder: { table: 'readings' }, cql: '' });
    const sensor = await screen.findByLabelText('sensor');
    fireEvent.change(sensor, { target: { value: "x' OR 'a'='a" } });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(sensor);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(lastChange().cql).toContain("WHERE sensor = 'x'' OR ''a''=''a'");
  });

  it('adds, edits and removes clustering filters, flagging values of the wrong type', async () => {
    const { lastChange } = setup({ editorMode: 'builder', builder: { table: 'readings' }, cql: '' });
    await user.click(await screen.findByLabelText('Filter on a clustering column'));
    expect(await menuOptions('Filter column')).toEqual(['ts', 'seq']);
    await pick('Filter column', 'seq');
    await pick('Filter operator', '>=');
    fireEvent.change(screen.getByLabelText('Filter value'), { target: { value: '10' } });
    expect(lastChange().cql).toContain('seq >= 10');
    expect(lastChange().builder?.filters).toEqual([{ column: 'seq', operator: '>=', value: '10' }]);

    fireEvent.change(screen.getByLabelText('Filter value'), { target: { value: 'ten' } });
    expect(screen.getByTestId('cql-builder-warnings')).toHaveTextContent('seq: ten is not a whole number (int)');

    await user.click(screen.getByLabelText('Remove filter'));
    expect(lastChange().builder?.filters).toEqual([]);
    expect(lastChange().cql).not.toContain('seq');
  });

  it('offers ORDER BY only for the first clustering column, and adds LIMIT and ALLOW FILTERING when asked', async () => {
    const { lastChange } = setup({ editorMode: 'builder', builder: { table: 'readings' }, cql: '' });
    await screen.findByLabelText('sensor');
    expect(screen.queryByLabelText('Descending')).not.toBeInTheDocument();
    await pick('Time column', 'seq');
    expect(screen.queryByLabelText('Descending')).not.toBeInTheDocument();
    await pick('Time column', 'ts');
    await user.click(screen.getByLabelText('Descending'));
    expect(lastChange().cql).toContain('ORDER BY ts DESC');

    fireEvent.change(screen.getByLabelText(/^Limit/), { target: { value: '100' } });
    expect(lastChange().builder?.limit).toBe(100);
    expect(lastChange().cql).not.toContain('ALLOW FILTERING');
    await user.click(screen.getByLabelText('Allow filtering'));
    expect((lastChange().cql ?? '').split('\n').slice(-3)).toEqual([
      'ORDER BY ts DESC',
      'LIMIT 100',
      'ALLOW FILTERING',
    ]);
    fireEvent.change(screen.getByLabelText(/^Limit/), { target: { value: '' } });
    expect(lastChange().builder?.limit).toBeUndefined();
  });

  it('lets the user override the format the builder chose', async () => {
    const { lastChange } = setup({
      editorMode: 'builder',
      format: 'time_series',
      builder: { table: 'readings', timeColumn: 'ts', valueColumns: ['temperature'] },
      cql: 'SELECT ts, temperature\nFROM readings\nWHERE $__timeFilter(ts)',
    });
    await screen.findByLabelText('sensor');
    await pick('Format', 'Table');
    expect(lastChange().format).toBe('table');
    fireEvent.change(screen.getByLabelText('sensor'), { target: { value: 's1' } });
    expect(lastChange().format).toBe('table');
  });

  it('takes the day buckets of the time range for a date partition key used as the time column', async () => {
    const { lastChange } = setup({ editorMode: 'builder', builder: { table: 'readings' }, cql: '' });
    await screen.findByLabelText('sensor');
    await pick('Time column', 'day');
    expect(screen.getByTestId('cql-query-builder')).toHaveTextContent(
      'from the time range: day IN ($__timeBuckets(day))'
    );
    expect(lastChange().cql).toContain('WHERE day IN ($__timeBuckets(day))');
  });

  it('clears the table fields when the table or keyspace changes', async () => {
    const { lastChange } = setup({
      editorMode: 'builder',
      builder: {
        table: 'readings',
        timeColumn: 'ts',
        limit: 5,
        filters: [{ column: 'sensor', operator: '=', value: 'a' }],
      },
      cql: '',
    });
    await screen.findByLabelText('sensor');
    await pick('Table', 'events');
    expect(lastChange().builder).toEqual({ keyspace: 'demo', table: 'events', limit: 5 });
    expect(lastChange().cql).toBe('SELECT *\nFROM events\nLIMIT 5');
    await pick('Keyspace', 'other');
    expect(lastChange().builder).toEqual({ keyspace: 'other', limit: 5 });
    await pick('Table', 'logs');
    expect(lastChange().cql).toBe('SELECT *\nFROM other.logs\nLIMIT 5');
  });

  it('quotes mixed-case and reserved names', async () => {
    const { lastChange } = setup({ editorMode: 'builder', builder: { table: 'events' }, cql: '' });
    await screen.findByLabelText('id');
    await pick('Time column', 'Seen At');
    await pick('Values', 'order');
    await pick('Values', 'note');
    expect(lastChange().cql).toBe('SELECT "Seen At", "order", note\nFROM events\nWHERE $__timeFilter("Seen At")');
  });
});

describe('Time column picker (code mode)', () => {
  beforeEach(() => setTemplateSrv(new FakeTemplateSrv({})));

  /** Code mode with its Options row open, where the time column picker is. */
  function setupCode(query: Partial<CqlQuery>) {
    const out = setup(query);
    fireEvent.click(screen.getByText('Options'));
    return out;
  }

  it('offers the timestamp, date and then int/bigint (epoch) columns of the tables the query names', async () => {
    setupCode({ cql: 'SELECT * FROM readings WHERE sensor = $sensor' });
    // timestamp columns first, epoch numbers last
    expect(await menuOptions('Time column')).toEqual(['ts', 'day', 'seq']);
  });

  it('reads the table the query names as it is at the moment the list opens', async () => {
    setupCode({ cql: 'SELECT at FROM other.logs' });
    expect(await menuOptions('Time column')).toEqual(['at']);
    fireEvent.change(screen.getByLabelText('CQL editor'), { target: { value: 'SELECT * FROM "events"' } });
    expect(await menuOptions('Time column')).toEqual(['created', 'Seen At', 'order']);
  });

  it('keeps a name typed by hand, and an empty value means the first timestamp column', async () => {
    const { lastChange } = setupCode({ cql: 'SELECT * FROM events', timeColumn: 'legacy_ts' });
    expect(screen.getByText('legacy_ts')).toBeInTheDocument();
    await pick('Time column', 'Seen At');
    expect(lastChange().timeColumn).toBe('Seen At');
    await user.click(screen.getByLabelText('Clear value'));
    expect(lastChange().timeColumn).toBeUndefined();
    expect(screen.getByText('first timestamp')).toBeInTheDocument();
  });

  it('shows no time column field in builder mode, where the builder has its own', async () => {
    setup({ editorMode: 'builder', builder: { table: 'events' }, cql: '' });
    await screen.findByLabelText('id');
    expect(screen.getAllByLabelText('Time column')).toHaveLength(1);
    await waitFor(() => expect(screen.getByLabelText('Time column')).toHaveAttribute('id', 'cql-builder-time'));
  });
});
