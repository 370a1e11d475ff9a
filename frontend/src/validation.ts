/*
 * Checks the settings page runs as the user types, so a typo shows next to its field instead of as a
 * connection error after "Save & test". Each returns a message, or undefined when the value is fine or unset
 * (unset means the backend default).
 */

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[\w.-]+)?$/;

function portText(text: string): string | undefined {
  if (!/^\d+$/.test(text)) {
    return `"${text}" is not a port number`;
  }
  const port = Number(text);
  return port >= 1 && port <= 65535 ? undefined : `port ${text} is outside 1..65535`;
}

/** One contact point: `host`, `host:port`, an IPv6 address, or `[ipv6]:port`. */
export function contactPointError(entry: string): string | undefined {
  if (entry === '') {
    return 'empty entry (two commas in a row, or a comma at the end)';
  }
  if (/\s/.test(entry)) {
    return `"${entry}" contains a space`;
  }
  if (entry.includes('://')) {
    return `"${entry}": write host or host:port, without a scheme`;
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    if (!IPV6.test(bracketed[1])) {
      return `"${entry}" is not a valid IPv6 address`;
    }
    return bracketed[2] === undefined ? undefined : portText(bracketed[2]);
  }
  const colons = entry.split(':').length - 1;
  if (colons > 1) {
    return IPV6.test(entry) ? undefined : `"${entry}" is not host, host:port or an IPv6 address`;
  }
  const [host, port] = entry.split(':');
  if (!HOST_NAME.test(host)) {
    return `"${entry}" is not a valid host name or address`;
  }
  return colons === 1 ? portText(port) : undefined;
}

/** The comma-separated `contactPoints` setting; reports the first bad entry. */
export function contactPointsError(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  for (const entry of text.split(',').map((e) => e.trim())) {
    const error = contactPointError(entry);
    if (error) {
      return `Contact point ${error}`;
    }
  }
  return undefined;
}

export function portError(port: number | undefined): string | undefined {
  if (port === undefined) {
    return undefined;
  }
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : 'Port must be a whole number from 1 to 65535';
}

export function timeoutError(seconds: number | undefined): string | undefined {
  if (seconds === undefined) {
    return undefined;
  }
  if (!Number.isFinite(seconds) || seconds < 0) {
    return 'A timeout cannot be negative';
  }
  return seconds === 0 ? 'A timeout must be more than 0 seconds' : undefined;
}

export function positiveIntegerError(value: number | undefined, what: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return Number.isInteger(value) && value >= 1 ? undefined : `${what} must be a whole number of at least 1`;
}

/** The backend's range for `partitionReads` (SettingsParser): 0 to 64. */
export function partitionReadsError(value: number | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  return Number.isInteger(value) && value >= 0 && value <= 64
    ? undefined
    : 'Partition reads must be a whole number from 0 to 64';
}

/** A pasted certificate or key must be PEM text; a file path is the most common mistake. */
export function pemError(text: string | undefined, what: string): string | undefined {
  if (!text || text.trim() === '') {
    return undefined;
  }
  return text.includes('-----BEGIN ')
    ? undefined
    : `Paste the ${what} as PEM text (starting with -----BEGIN), not a file path`;
}
