import type { DiscoveredTable } from '../../discovery/connection.ts';

// DynamoDB refuses items over 400 KB; a table with very many fields is split well below that.
const MAX_FIELDS_BYTES = 300_000;

export interface TableItem {
  pk: string;
  sk: string;
  connectionId: string;
  name: string;
  fields: string[];
  part?: number;
  version: number;
}

/** The sort-key prefix of every table item of a connection. */
export const tablePrefix = (connectionId: string) => `CONN#${connectionId}#TABLE#`;

// Names are percent-encoded in the key, so a '#' in a table name can never look like the #PART# suffix.
const tableKey = (connectionId: string, name: string, part: number) =>
  `${tablePrefix(connectionId)}${encodeURIComponent(name)}${part === 0 ? '' : `#PART#${part}`}`;

const chunkFields = (fields: string[]): string[][] => {
  const chunks: string[][] = [[]];
  let size = 0;
  for (const field of fields) {
    const bytes = Buffer.byteLength(field) + 3;
    if (size + bytes > MAX_FIELDS_BYTES && chunks.at(-1)!.length > 0) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(field);
    size += bytes;
  }
  return chunks;
};

/**
 * One item per discovered table beside its connection (sk = CONN#<id>#TABLE#<name>[#PART#n], the
 * name percent-encoded). A name Fetcher lists twice is written once.
 */
export const tableItems = (connectionKey: { pk: string }, connectionId: string, tables: DiscoveredTable[], version: number): TableItem[] =>
  [...new Map(tables.map((table) => [table.name, table])).values()].flatMap((table) =>
    chunkFields(table.fields).map((fields, part) => ({
      pk: connectionKey.pk,
      sk: tableKey(connectionId, table.name, part),
      connectionId,
      name: table.name,
      fields,
      ...(part === 0 ? {} : { part }),
      version,
    })),
  );
