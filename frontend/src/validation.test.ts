import {
  contactPointsError,
  partitionReadsError,
  pemError,
  portError,
  positiveIntegerError,
  timeoutError,
} from './validation';

describe('settings validation', () => {
  it('accepts host lists in every usual form', () => {
    for (const ok of [
      undefined,
      '',
      '127.0.0.1',
      'scylla-1, scylla-2:9142,10.0.0.3',
      'node_1.dc1.example.com:19042',
      '::1',
      'fe80::1%eth0',
      '[2001:db8::1]:9042',
      '[::1]',
    ]) {
      expect({ ok, error: contactPointsError(ok) }).toEqual({ ok, error: undefined });
    }
  });

  it('explains what is wrong with a contact point', () => {
    expect(contactPointsError('a,,b')).toMatch(/empty entry/);
    expect(contactPointsError('a,')).toMatch(/empty entry/);
    expect(contactPointsError('host:99999')).toMatch(/port 99999 is outside 1..65535/);
    expect(contactPointsError('host:abc')).toMatch(/"abc" is not a port number/);
    expect(contactPointsError('http://host:9042')).toMatch(/without a scheme/);
    expect(contactPointsError('my host')).toMatch(/contains a space/);
    expect(contactPointsError('-bad-')).toMatch(/not a valid host name/);
    expect(contactPointsError('[zz::1]:9042')).toMatch(/not a valid IPv6/);
  });

  it('checks ports, timeouts and sizes', () => {
    expect(portError(9042)).toBeUndefined();
    expect(portError(0)).toMatch(/1 to 65535/);
    expect(portError(65536)).toMatch(/1 to 65535/);
    expect(portError(90.5)).toMatch(/whole number/);
    expect(timeoutError(undefined)).toBeUndefined();
    expect(timeoutError(0.5)).toBeUndefined();
    expect(timeoutError(-1)).toBe('A timeout cannot be negative');
    expect(timeoutError(0)).toMatch(/more than 0/);
    expect(positiveIntegerError(5000, 'Page size')).toBeUndefined();
    expect(positiveIntegerError(0, 'Page size')).toBe('Page size must be a whole number of at least 1');
  });

  it('takes partitionReads from 0 (one statement) to 64, as the backend does', () => {
    expect(partitionReadsError(undefined)).toBeUndefined();
    expect(partitionReadsError(0)).toBeUndefined();
    expect(partitionReadsError(64)).toBeUndefined();
    expect(partitionReadsError(65)).toBe('Partition reads must be a whole number from 0 to 64');
    expect(partitionReadsError(-1)).toBe('Partition reads must be a whole number from 0 to 64');
    expect(partitionReadsError(2.5)).toBe('Partition reads must be a whole number from 0 to 64');
  });

  it('asks for PEM text rather than a path', () => {
    expect(pemError('-----BEGIN CERTIFICATE-----\nMII...', 'CA certificate')).toBeUndefined();
    expect(pemError('/etc/ssl/ca.pem', 'CA certificate')).toMatch(/as PEM text/);
    expect(pemError('', 'x')).toBeUndefined();
  });
});
