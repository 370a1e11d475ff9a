import React from 'react';
import { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';

import { fastUser, User } from '../testing/user';
import { CqlOptions, CqlSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<CqlOptions, CqlSecureJsonData>;

function deepFreeze<T>(o: T): T {
  Object.values(o as object).forEach((v) => v && typeof v === 'object' && deepFreeze(v));
  return Object.freeze(o);
}

function settings(jsonData: CqlOptions = {}, secureJsonFields: Record<string, boolean> = {}): Settings {
  // frozen: the editor must hand Grafana new objects, never change these
  return deepFreeze({
    id: 1,
    uid: 'u',
    orgId: 1,
    name: 'CQL',
    type: 'opencql-cql-datasource',
    typeName: 'CQL',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    version: 1,
    jsonData,
    secureJsonFields,
    secureJsonData: {},
  } as unknown as Settings);
}

/** A field by its label; Grafana renders the description inside the label, so match the start. */
function field(label: string) {
  return screen.getByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));
}

function queryField(label: string) {
  return screen.queryByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));
}

/** The Reset buttons of the stored secrets (by their text: role queries are slow on @grafana/ui's trees). */
function resetButtons(): HTMLElement[] {
  return screen.getAllByText('Reset').map((label) => label.closest('button')!);
}

/** Opens a collapsible section (TLS, Additional settings) as a user would. */
function expand(section: string) {
  fireEvent.click(screen.getByLabelText(`Expand section ${section}`));
}

function setup(options: Settings) {
  const onOptionsChange = jest.fn();
  const view = render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  const lastCall = (): Settings => onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
  return { onOptionsChange, lastCall, ...view };
}

let user: User;
beforeEach(() => {
  user = fastUser();
});

describe('ConfigEditor', () => {
  it('is laid out as Grafana data sources are: description, Connection and Authentication open, the rest collapsed', () => {
    setup(settings());
    expect(screen.getByText(/Before you can use the CQL \(ScyllaDB \/ Cassandra\) data source/)).toBeInTheDocument();
    expect(field('Contact points')).toBeInTheDocument();
    expect(field('Username')).toBeInTheDocument();
    // TLS is off: its section starts collapsed, as do the additional settings
    expect(queryField('Use TLS')).not.toBeInTheDocument();
    expect(queryField('Consistency')).not.toBeInTheDocument();
    expand('TLS');
    expect(field('Use TLS')).not.toBeChecked();
    expand('Additional settings');
    expect(field('Consistency')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Collapse section Additional settings'));
    expect(queryField('Consistency')).not.toBeInTheDocument();
  });

  it('opens the TLS section when TLS is on, and tells which client keys the backend reads', () => {
    setup(settings({ tlsEnabled: true }));
    expect(field('Use TLS')).toBeChecked();
    expect(
      screen.getByText('Its private key as unencrypted PEM: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)')
    ).toBeInTheDocument();
  });

  it('shows the defaults as placeholders and the read-only guard switched on', () => {
    setup(settings());
    expand('Additional settings');
    expect(field('Port')).toHaveAttribute('placeholder', '9042');
    expect(field('Connect timeout (s)')).toHaveAttribute('placeholder', '5');
    expect(field('Query timeout (s)')).toHaveAttribute('placeholder', '30');
    expect(field('Page size')).toHaveAttribute('placeholder', '5000');
    expect(field('Row limit')).toHaveAttribute('placeholder', '1000000');
    expect(field('Read only')).toBeChecked();
    expect(screen.getByText('LOCAL_ONE')).toBeInTheDocument();
  });

  it('passes new objects to onOptionsChange and keeps the other settings', () => {
    const options = settings({ keyspace: 'metrics', port: 9042 });
    const { lastCall } = setup(options);

    fireEvent.change(field('Contact points'), { target: { value: 'n1,n2:9142' } });
    expect(lastCall().jsonData).toEqual({ keyspace: 'metrics', port: 9042, contactPoints: 'n1,n2:9142' });
    expect(lastCall()).not.toBe(options);
    expect(options.jsonData).toEqual({ keyspace: 'metrics', port: 9042 });

    fireEvent.change(field('Port'), { target: { value: '19042' } });
    expect(lastCall().jsonData.port).toBe(19042);

    fireEvent.change(field('Port'), { target: { value: '' } });
    expect(lastCall().jsonData).toEqual({ keyspace: 'metrics' });

    fireEvent.change(field('Local data center'), { target: { value: 'dc1' } });
    expect(lastCall().jsonData.localDatacenter).toBe('dc1');
  });

  it('switches the read-only guard off', async () => {
    const { lastCall } = setup(settings());
    expand('Additional settings');
    await user.click(field('Read only'));
    expect(lastCall().jsonData.readOnly).toBe(false);
  });

  it('offers every consistency level', async () => {
    const { lastCall } = setup(settings());
    expand('Additional settings');
    await user.click(field('Consistency'));
    for (const level of [
      'ANY',
      'ONE',
      'TWO',
      'THREE',
      'QUORUM',
      'ALL',
      'LOCAL_QUORUM',
      'EACH_QUORUM',
      'SERIAL',
      'LOCAL_SERIAL',
    ]) {
      expect(screen.getByText(level)).toBeInTheDocument();
    }
    await user.click(screen.getByText('LOCAL_QUORUM'));
    expect(lastCall().jsonData.consistency).toBe('LOCAL_QUORUM');
  });

  it('shows validation messages next to the fields, opening the section that holds one', () => {
    setup(
      settings({ contactPoints: 'a,,b', port: 70000, connectTimeoutSeconds: -1, queryTimeoutSeconds: 0, pageSize: 0 })
    );
    expect(
      screen.getByText('Contact point empty entry (two commas in a row, or a comma at the end)')
    ).toBeInTheDocument();
    expect(screen.getByText('Port must be a whole number from 1 to 65535')).toBeInTheDocument();
    expect(screen.getByText('A timeout cannot be negative')).toBeInTheDocument();
    expect(screen.getByText('A timeout must be more than 0 seconds')).toBeInTheDocument();
    expect(screen.getByText('Page size must be a whole number of at least 1')).toBeInTheDocument();
  });

  it('shows no message for valid settings', () => {
    setup(settings({ contactPoints: '10.0.0.1, [::1]:9042', port: 9042, connectTimeoutSeconds: 5, pageSize: 100 }));
    expect(screen.queryByText(/must be|cannot be|^Contact point /)).not.toBeInTheDocument();
  });

  it('writes credentials to secureJsonData only', () => {
    const { lastCall } = setup(settings({ keyspace: 'k' }));
    fireEvent.change(field('Username'), { target: { value: 'grafana' } });
    expect(lastCall().secureJsonData).toEqual({ username: 'grafana' });
    expect(lastCall().jsonData).toEqual({ keyspace: 'k' });
  });

  it('shows a stored password as configured and resets it', async () => {
    const { lastCall } = setup(settings({}, { password: true }));
    const password = field('Password');
    expect(password).toBeDisabled();
    expect(password).toHaveValue('configured');

    // the username is not stored, so this is the password's Reset
    await user.click(resetButtons()[0]);
    expect(lastCall().secureJsonFields).toEqual({ password: false });
    expect(lastCall().secureJsonData).toEqual({ password: '' });
  });

  it('hides TLS details until TLS is on', async () => {
    const { lastCall, rerender, onOptionsChange } = setup(settings());
    expand('TLS');
    expect(queryField('CA certificate')).not.toBeInTheDocument();
    await user.click(field('Use TLS'));
    expect(lastCall().jsonData.tlsEnabled).toBe(true);

    rerender(<ConfigEditor options={settings({ tlsEnabled: true })} onOptionsChange={onOptionsChange} />);
    expect(field('CA certificate')).toBeInTheDocument();
    expect(field('Client certificate')).toBeInTheDocument();
    expect(field('Client key')).toBeInTheDocument();
    expect(screen.queryByText('Certificate verification is off')).not.toBeInTheDocument();
  });

  it('warns when certificate verification is skipped', async () => {
    const { lastCall, rerender, onOptionsChange } = setup(settings({ tlsEnabled: true }));
    await user.click(field('Skip certificate verification'));
    expect(lastCall().jsonData).toEqual({ tlsEnabled: true, tlsSkipVerify: true });
    rerender(
      <ConfigEditor options={settings({ tlsEnabled: true, tlsSkipVerify: true })} onOptionsChange={onOptionsChange} />
    );
    expect(screen.getByText('Certificate verification is off')).toBeInTheDocument();
  });

  it('keeps certificates secret: stored ones show as configured and reset', async () => {
    const { lastCall } = setup(
      settings({ tlsEnabled: true }, { tlsCACert: true, tlsClientCert: true, tlsClientKey: true })
    );
    const ca = field('CA certificate');
    expect(ca).toBeDisabled();
    const resets = resetButtons();
    expect(resets).toHaveLength(3);
    await user.click(resets[0]);
    expect(lastCall().secureJsonFields).toEqual({ tlsCACert: false, tlsClientCert: true, tlsClientKey: true });
    expect(lastCall().secureJsonData).toEqual({ tlsCACert: '' });
  });

  it('asks for PEM text and for both halves of a client certificate', () => {
    const options = settings({ tlsEnabled: true });
    const withSecrets = {
      ...options,
      secureJsonData: { tlsCACert: '/etc/ssl/ca.pem', tlsClientCert: '-----BEGIN CERTIFICATE-----' },
    };
    render(<ConfigEditor options={withSecrets} onOptionsChange={jest.fn()} />);
    expect(screen.getByText(/Paste the ca certificate as PEM text/)).toBeInTheDocument();
    expect(screen.getByText('Mutual TLS needs both the client certificate and its private key')).toBeInTheDocument();
  });
});
