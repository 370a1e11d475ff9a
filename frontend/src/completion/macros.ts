/*
 * The macros the backend expands (README "Macros"). They stay in the CQL text the browser sends; completion
 * documents what each becomes. The backend's list is backend-macros.json (checked against the backend's Macros by
 * its MacroListAgreementTest); macros.test.ts checks that this list offers each of them.
 */

export interface MacroInfo {
  /** what the completion list shows */
  label: string;
  /** Monaco snippet inserted (a literal "$" is written "\\$" in snippet syntax) */
  snippet: string;
  detail: string;
  documentation: string;
}

export const MACROS: MacroInfo[] = [
  {
    label: '$__timeFilter(column)',
    snippet: '\\$__timeFilter(${1:ts})',
    detail: 'column >= <from ms> AND column <= <to ms>',
    documentation:
      'Restricts a timestamp column to the dashboard time range: `$__timeFilter(ts)` becomes `ts >= 1704067200000 AND ts <= 1704153600000` (epoch milliseconds).',
  },
  {
    label: '$__timeFrom()',
    snippet: '\\$__timeFrom()',
    detail: 'start of the time range, epoch ms',
    documentation:
      'Start of the dashboard time range in epoch milliseconds. `$__timeFrom` without parentheses works too.',
  },
  {
    label: '$__timeTo()',
    snippet: '\\$__timeTo()',
    detail: 'end of the time range, epoch ms',
    documentation: 'End of the dashboard time range in epoch milliseconds. `$__timeTo` without parentheses works too.',
  },
  {
    label: '$__from',
    snippet: '\\$__from',
    detail: 'start of the time range, epoch ms',
    documentation:
      "Grafana's global variable for the start of the time range, in epoch milliseconds. The backend expands it too, so alert rules get the same value.",
  },
  {
    label: '$__to',
    snippet: '\\$__to',
    detail: 'end of the time range, epoch ms',
    documentation:
      "Grafana's global variable for the end of the time range, in epoch milliseconds. The backend expands it too, so alert rules get the same value.",
  },
  {
    label: '$__unixEpochFrom()',
    snippet: '\\$__unixEpochFrom()',
    detail: 'start of the time range, epoch seconds',
    documentation: 'Start of the dashboard time range in epoch seconds, for bigint/int columns holding seconds.',
  },
  {
    label: '$__unixEpochTo()',
    snippet: '\\$__unixEpochTo()',
    detail: 'end of the time range, epoch seconds',
    documentation: 'End of the dashboard time range in epoch seconds.',
  },
  {
    label: '$__unixEpochFilter(column)',
    snippet: '\\$__unixEpochFilter(${1:column})',
    detail: 'column >= <from s> AND column <= <to s>',
    documentation: 'Restricts a column holding epoch seconds to the dashboard time range.',
  },
  {
    label: '$__interval',
    snippet: '\\$__interval',
    detail: 'suggested bucket width, e.g. 30s',
    documentation:
      "Grafana's suggested interval for the panel width and time range, as a duration such as `30s` or `5m`.",
  },
  {
    label: '$__interval_ms',
    snippet: '\\$__interval_ms',
    detail: 'suggested bucket width in ms',
    documentation: "Grafana's suggested interval in milliseconds.",
  },
  {
    label: '$__timeBuckets(day)',
    snippet: '\\$__timeBuckets(${1:day})',
    detail: "'2024-01-01','2024-01-02' … for IN (…)",
    documentation:
      "Every day bucket the time range touches, as a comma-separated list of quoted dates for `IN (...)` on day-partitioned tables: `WHERE day IN ($__timeBuckets(day))`. An optional format argument changes the text: `$__timeBuckets(day, 'yyyyMMdd')` gives `'20240101','20240102'`, and `$__timeBuckets(day, 'yyyyMMdd', number)` gives `20240101, 20240102` for an int bucket column.",
  },
];
