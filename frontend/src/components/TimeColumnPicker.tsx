/*
 * Code mode's Time column: a picker offering the timestamp and date columns of the tables the CQL names (found
 * as completion finds them), then their int/bigint columns (epoch time), loaded when the list opens. Any other
 * name can be typed; empty means "the first timestamp or date column of the result", as the backend decides.
 */
import React, { useState } from 'react';
import { SelectableValue } from '@grafana/data';
import { Select } from '@grafana/ui';

import { baseType, isEpochType, isTimeIndexType } from '../builder/cqlTypes';
import { referencedTables, SchemaSource } from '../completion/suggest';

/** The timestamp columns, then the date columns, then the int/bigint (epoch) columns of the tables `cql` names; each name once. */
export async function timeColumnsOf(cql: string, schema: SchemaSource): Promise<Array<SelectableValue<string>>> {
  const tables = referencedTables(cql, schema.defaultKeyspace);
  const perTable = await Promise.all(
    tables.map(async ({ keyspace, table }) => (await schema.getColumns(keyspace, table)).map((c) => ({ c, table })))
  );
  const found = perTable.flat().filter(({ c }) => isTimeIndexType(c.type));
  const ordered = [
    ...found.filter(({ c }) => baseType(c.type) === 'timestamp'),
    ...found.filter(({ c }) => baseType(c.type) === 'date'),
    ...found.filter(({ c }) => isEpochType(c.type)),
  ];
  const seen = new Set<string>();
  const options: Array<SelectableValue<string>> = [];
  for (const { c, table } of ordered) {
    if (!seen.has(c.name)) {
      seen.add(c.name);
      const epoch = isEpochType(c.type) ? ', as epoch time' : '';
      options.push({ label: c.name, value: c.name, description: `${c.type} of ${table}${epoch}` });
    }
  }
  return options;
}

interface Props {
  inputId: string;
  value?: string;
  cql: string;
  schema: SchemaSource;
  /** undefined: the first timestamp or date column */
  onChange: (timeColumn: string | undefined) => void;
}

export function TimeColumnPicker({ inputId, value, cql, schema, onChange }: Props) {
  const [options, setOptions] = useState<Array<SelectableValue<string>>>([]);
  const [loading, setLoading] = useState(false);

  const load = async () => {
    setLoading(true);
    try {
      setOptions(await timeColumnsOf(cql, schema));
    } finally {
      setLoading(false);
    }
  };

  const shown = value && !options.some((o) => o.value === value) ? [{ label: value, value }, ...options] : options;
  return (
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox is not in Grafana 10.4, the oldest Grafana this plugin supports
    <Select
      inputId={inputId}
      width={20}
      placeholder="first timestamp"
      isClearable
      allowCustomValue
      isLoading={loading}
      options={shown}
      value={value || null}
      onOpenMenu={() => void load()}
      onChange={(v) => onChange(v?.value?.trim() || undefined)}
      onCreateOption={(typed) => onChange(typed.trim() || undefined)}
      formatCreateLabel={(typed) => `Use column "${typed}"`}
      noOptionsMessage={loading ? 'Loading…' : 'No timestamp or date column in the tables the query names'}
    />
  );
}
