import React, { ChangeEvent } from 'react';
import { css } from '@emotion/css';
import { DataSourcePluginOptionsEditorProps, GrafanaTheme2, SelectableValue } from '@grafana/data';
import { ConfigSection, ConfigSubSection, DataSourceDescription } from '@grafana/plugin-ui';
import { Alert, Divider, Field, Input, SecretInput, SecretTextArea, Select, Switch, useStyles2 } from '@grafana/ui';

import {
  CONSISTENCY_LEVELS,
  ConsistencyLevel,
  CqlOptions,
  CqlSecureJsonData,
  DEFAULT_OPTIONS,
  SecureJsonKey,
} from '../types';
import {
  contactPointsError,
  partitionReadsError,
  pemError,
  portError,
  positiveIntegerError,
  timeoutError,
} from '../validation';

export type Props = DataSourcePluginOptionsEditorProps<CqlOptions, CqlSecureJsonData>;

const CONSISTENCY_HELP: Record<ConsistencyLevel, string> = {
  ANY: 'Writes only; reads reject it',
  ONE: 'One replica anywhere',
  TWO: 'Two replicas',
  THREE: 'Three replicas',
  QUORUM: 'A majority of all replicas',
  ALL: 'Every replica',
  LOCAL_ONE: 'One replica in the local data center',
  LOCAL_QUORUM: 'A majority of replicas in the local data center',
  EACH_QUORUM: 'A majority in every data center (writes)',
  SERIAL: 'Linearizable read (Paxos), all data centers',
  LOCAL_SERIAL: 'Linearizable read (Paxos), local data center',
};

export const CONSISTENCY_OPTIONS: Array<SelectableValue<ConsistencyLevel>> = CONSISTENCY_LEVELS.map((level) => ({
  label: level,
  value: level,
  description: CONSISTENCY_HELP[level],
}));

/** Every input, select and text area has this width (in Grafana's 8 px units), as on Grafana's own settings pages. */
const WIDTH = 40;

/** The plugin's page inside Grafana, which shows the README (Grafana serves it, so it works offline too). */
export const DOCS_LINK = '/plugins/opencql-cql-datasource';

/** '' means "not set" (the backend's default applies). */
function optionalNumber(text: string): number | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * The data source settings page, laid out like Grafana's own data sources: a description, then Connection and
 * Authentication open, TLS and Additional settings collapsible. It never changes `options` in place: every edit
 * hands Grafana a new object through onOptionsChange. Secrets follow Grafana's rules: `secureJsonFields` says which
 * are stored, their values never come back, and "Reset" clears one so a new value can be typed.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const jsonData = options.jsonData ?? {};
  const secureJsonFields = options.secureJsonFields ?? {};
  const secureJsonData: CqlSecureJsonData = options.secureJsonData ?? {};

  const setJson = <K extends keyof CqlOptions>(key: K, value: CqlOptions[K] | undefined) => {
    const next: CqlOptions = { ...jsonData };
    if (value === undefined) {
      delete next[key];
    } else {
      next[key] = value;
    }
    onOptionsChange({ ...options, jsonData: next });
  };

  const setSecret = (key: SecureJsonKey, value: string) => {
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: value } });
  };

  const resetSecret = (key: SecureJsonKey) => {
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });
  };

  const isSet = (key: SecureJsonKey) => Boolean(secureJsonFields[key]) || Boolean(secureJsonData[key]);

  const text = (key: 'contactPoints' | 'keyspace' | 'localDatacenter' | 'tlsServerName') => ({
    width: WIDTH,
    value: jsonData[key] ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement>) => setJson(key, e.currentTarget.value || undefined),
  });

  const numeric = (
    key: 'port' | 'connectTimeoutSeconds' | 'queryTimeoutSeconds' | 'pageSize' | 'rowLimit' | 'partitionReads'
  ) => ({
    width: WIDTH,
    type: 'number',
    value: jsonData[key] ?? '',
    placeholder: String(DEFAULT_OPTIONS[key]),
    onChange: (e: ChangeEvent<HTMLInputElement>) => setJson(key, optionalNumber(e.currentTarget.value)),
  });

  const secretInput = (key: 'username' | 'password', label: string, autoComplete: string, description: string) => (
    <Field label={label} description={description}>
      <SecretInput
        id={`cql-${key}`}
        width={WIDTH}
        isConfigured={Boolean(secureJsonFields[key])}
        value={secureJsonData[key] ?? ''}
        autoComplete={autoComplete}
        placeholder={key === 'username' ? 'none (no authentication)' : ''}
        onReset={() => resetSecret(key)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => setSecret(key, e.currentTarget.value)}
      />
    </Field>
  );

  const secretPem = (key: 'tlsCACert' | 'tlsClientCert' | 'tlsClientKey', label: string, description: string) => {
    const error = pemError(secureJsonData[key], label.toLowerCase());
    return (
      <Field label={label} description={description} invalid={Boolean(error)} error={error}>
        <SecretTextArea
          id={`cql-${key}`}
          rows={3}
          className={styles.pem}
          isConfigured={Boolean(secureJsonFields[key])}
          value={secureJsonData[key] ?? ''}
          placeholder="-----BEGIN ..."
          onReset={() => resetSecret(key)}
          onChange={(e: ChangeEvent<HTMLTextAreaElement>) => setSecret(key, e.currentTarget.value)}
        />
      </Field>
    );
  };

  const errors = {
    contactPoints: contactPointsError(jsonData.contactPoints),
    port: portError(jsonData.port),
    connectTimeout: timeoutError(jsonData.connectTimeoutSeconds),
    queryTimeout: timeoutError(jsonData.queryTimeoutSeconds),
    pageSize: positiveIntegerError(jsonData.pageSize, 'Page size'),
    rowLimit: positiveIntegerError(jsonData.rowLimit, 'Row limit'),
    partitionReads: partitionReadsError(jsonData.partitionReads),
    clientPair:
      isSet('tlsClientCert') !== isSet('tlsClientKey')
        ? 'Mutual TLS needs both the client certificate and its private key'
        : undefined,
  };
  // a collapsed section must not hide a mistake: it opens when one of its settings is wrong
  const advancedInvalid = Boolean(
    errors.connectTimeout || errors.queryTimeout || errors.pageSize || errors.rowLimit || errors.partitionReads
  );

  const tlsEnabled = jsonData.tlsEnabled ?? DEFAULT_OPTIONS.tlsEnabled;
  const skipVerify = jsonData.tlsSkipVerify ?? DEFAULT_OPTIONS.tlsSkipVerify;

  return (
    <div data-testid="cql-config-editor">
      <DataSourceDescription
        dataSourceName="CQL (ScyllaDB / Cassandra)"
        docsLink={DOCS_LINK}
        hasRequiredFields={false}
      />
      <Divider />

      <ConfigSection title="Connection" description="Where the cluster is. Settings left empty use the defaults shown.">
        <Field
          label="Contact points"
          description="Comma-separated hosts, each optionally host:port. Empty: the URL field, else 127.0.0.1."
          invalid={Boolean(errors.contactPoints)}
          error={errors.contactPoints}
        >
          <Input id="cql-contact-points" placeholder="10.0.0.1, 10.0.0.2:9142" {...text('contactPoints')} />
        </Field>
        <Field
          label="Port"
          description="For contact points given without a port"
          invalid={Boolean(errors.port)}
          error={errors.port}
        >
          <Input id="cql-port" min={1} max={65535} {...numeric('port')} />
        </Field>
        <Field label="Default keyspace" description="For table names written without a keyspace">
          <Input id="cql-keyspace" placeholder="none" {...text('keyspace')} />
        </Field>
        <Field
          label="Local data center"
          description="The driver sends queries to this data center's nodes first. Empty: the data center of the first node reached."
        >
          <Input id="cql-local-dc" placeholder="datacenter1" {...text('localDatacenter')} />
        </Field>
      </ConfigSection>

      <Divider />

      <ConfigSection
        title="Authentication"
        description="Password authentication (PasswordAuthenticator). Leave both empty for a cluster without authentication."
      >
        {secretInput('username', 'Username', 'off', 'A CQL role that may read the tables your dashboards query')}
        {secretInput(
          'password',
          'Password',
          'new-password',
          'Stored encrypted by Grafana, never sent back to the browser'
        )}
      </ConfigSection>

      <Divider />

      <ConfigSection
        title="TLS"
        description="Encryption to the nodes (client_encryption_options) and client certificates for mutual TLS"
        isCollapsible
        isInitiallyOpen={tlsEnabled}
      >
        <Field label="Use TLS" description="Encrypt the connection to the nodes">
          <Switch
            id="cql-tls-enabled"
            value={tlsEnabled}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('tlsEnabled', e.currentTarget.checked)}
          />
        </Field>
        {tlsEnabled && (
          <>
            <Field
              label="Server name"
              description="Name to verify the node certificate against (SNI). Empty: the host name."
            >
              <Input id="cql-tls-server-name" placeholder="host name" {...text('tlsServerName')} />
            </Field>
            <Field label="Skip certificate verification" description="Accept any certificate and host name">
              <Switch
                id="cql-tls-skip-verify"
                value={skipVerify}
                onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('tlsSkipVerify', e.currentTarget.checked)}
              />
            </Field>
            {skipVerify && (
              <Alert severity="warning" title="Certificate verification is off" className={styles.alert}>
                Anyone between Grafana and the cluster can read and change the traffic, including the password. Use this
                for testing only; for self-signed certificates paste the CA certificate instead.
              </Alert>
            )}
            {secretPem(
              'tlsCACert',
              'CA certificate',
              'PEM text of the CA that signed the node certificates. Empty: the system trust store.'
            )}
            <ConfigSubSection title="Client certificate" description="For mutual TLS (require_client_auth: true)">
              {secretPem('tlsClientCert', 'Client certificate', 'PEM text of the certificate chain, the client first')}
              {secretPem(
                'tlsClientKey',
                'Client key',
                'Its private key as unencrypted PEM: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)'
              )}
              {errors.clientPair && (
                <Alert severity="error" title={errors.clientPair} className={styles.alert}>
                  Set both, or reset both.
                </Alert>
              )}
            </ConfigSubSection>
          </>
        )}
      </ConfigSection>

      <Divider />

      <ConfigSection
        title="Additional settings"
        description="Consistency, the read-only guard, timeouts, paging and row limits. The defaults suit most clusters."
        isCollapsible
        isInitiallyOpen={advancedInvalid}
      >
        <ConfigSubSection title="Queries">
          <Field label="Consistency" description="Consistency level of every query">
            {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports */}
            <Select
              inputId="cql-consistency"
              width={WIDTH}
              options={CONSISTENCY_OPTIONS}
              value={jsonData.consistency ?? DEFAULT_OPTIONS.consistency}
              onChange={(v) => setJson('consistency', v.value)}
            />
          </Field>
          <Field
            label="Read only"
            description="Refuse anything but SELECT and DESCRIBE-style reads (recommended: dashboards and alerts only read)"
          >
            <Switch
              id="cql-read-only"
              value={jsonData.readOnly ?? DEFAULT_OPTIONS.readOnly}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setJson('readOnly', e.currentTarget.checked)}
            />
          </Field>
        </ConfigSubSection>
        <ConfigSubSection title="Timeouts">
          <Field
            label="Connect timeout (s)"
            description="Connection and handshake"
            invalid={Boolean(errors.connectTimeout)}
            error={errors.connectTimeout}
          >
            <Input id="cql-connect-timeout" {...numeric('connectTimeoutSeconds')} />
          </Field>
          <Field
            label="Query timeout (s)"
            description="Each query of a request has its own"
            invalid={Boolean(errors.queryTimeout)}
            error={errors.queryTimeout}
          >
            <Input id="cql-query-timeout" {...numeric('queryTimeoutSeconds')} />
          </Field>
        </ConfigSubSection>
        <ConfigSubSection title="Paging and limits">
          <Field
            label="Page size"
            description="Rows fetched per page from the node"
            invalid={Boolean(errors.pageSize)}
            error={errors.pageSize}
          >
            <Input id="cql-page-size" {...numeric('pageSize')} />
          </Field>
          <Field
            label="Row limit"
            description="Rows per query at most; a warning says when a result was cut"
            invalid={Boolean(errors.rowLimit)}
            error={errors.rowLimit}
          >
            <Input id="cql-row-limit" {...numeric('rowLimit')} />
          </Field>
          <Field
            label="Partition reads"
            description="A query whose IN names several partitions reads up to this many at once, one statement each (same rows); 0 or 1: one statement"
            invalid={Boolean(errors.partitionReads)}
            error={errors.partitionReads}
          >
            <Input id="cql-partition-reads" {...numeric('partitionReads')} />
          </Field>
        </ConfigSubSection>
      </ConfigSection>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // a PEM block is 64 characters wide: the text areas get the inputs' width plus room for the Reset button
  pem: css({ width: theme.spacing(WIDTH), fontFamily: theme.typography.fontFamilyMonospace }),
  alert: css({ maxWidth: theme.spacing(WIDTH + 20) }),
});
