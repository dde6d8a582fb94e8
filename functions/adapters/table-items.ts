import type { DiscoveredTable } from '../discovery/connection.ts';

// DynamoDB refuses items over 400 KB; a table with very many fields is split well below that.
const MAX_FIELDS_BYTES = 300_000;

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
 * One item per discovered table beside its connection (sk = CONN#<id>#TABLE#<name>[#PART#n]). A name
 * Fetcher lists twice is written once: one batch may not hold the same key twice.
 */
export const tableItems = (
  connectionKey: { pk: string; sk: string },
  connectionId: string,
  tables: DiscoveredTable[],
  version: number,
): Record<string, unknown>[] =>
  [...new Map(tables.map((table) => [table.name, table])).values()].flatMap((table) =>
    chunkFields(table.fields).map((fields, part) => ({
      pk: connectionKey.pk,
      sk: `${connectionKey.sk}#TABLE#${table.name}${part === 0 ? '' : `#PART#${part}`}`,
      connectionId,
      name: table.name,
      fields,
      ...(part === 0 ? {} : { part }),
      version,
    })),
  );
