import { gunzipSync, gzipSync } from 'node:zlib';
import type { DiscoveredTable } from '../../discovery/connection.ts';

/** The sort-key prefix of every snapshot item of a connection, and of one snapshot. */
export const snapshotPrefix = (connectionId: string, version?: number) =>
  `SCHEMA#${connectionId}#${version === undefined ? '' : `${String(version).padStart(15, '0')}#`}`;

// DynamoDB refuses items over 400 KB; a chunk's JSON stays well below it even before gzip.
const MAX_CHUNK_JSON_BYTES = 300_000;

export interface SnapshotItem {
  pk: string;
  sk: string;
  /** gzip of the chunk's tables as JSON. */
  tables: Uint8Array;
}

/**
 * One snapshot as a few items: the tables packed in order into chunks of at most ~300 KB of JSON,
 * each gzipped. A 2 000-table schema is one or two items, so it is written in one batch request.
 */
export const snapshotItems = (pk: string, connectionId: string, version: number, tables: readonly DiscoveredTable[]): SnapshotItem[] => {
  const chunks: DiscoveredTable[][] = [[]];
  let size = 0;
  for (const piece of tables.flatMap(piecesOf)) {
    const bytes = Buffer.byteLength(JSON.stringify(piece)) + 1;
    if (size + bytes > MAX_CHUNK_JSON_BYTES && chunks.at(-1)!.length > 0) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(piece);
    size += bytes;
  }
  return chunks.map((chunk, index) => ({
    pk,
    sk: `${snapshotPrefix(connectionId, version)}${String(index).padStart(5, '0')}`,
    tables: gzipSync(JSON.stringify(chunk)),
  }));
};

/** A table too large for one chunk, as consecutive pieces of the same name. */
const piecesOf = (table: DiscoveredTable): DiscoveredTable[] => {
  const pieces: DiscoveredTable[] = [{ name: table.name, columns: [] }];
  let size = Buffer.byteLength(table.name) + 32;
  for (const column of table.columns) {
    const bytes = Buffer.byteLength(JSON.stringify(column)) + 1;
    if (size + bytes > MAX_CHUNK_JSON_BYTES - 1_024 && pieces.at(-1)!.columns.length > 0) {
      pieces.push({ name: table.name, columns: [] });
      size = Buffer.byteLength(table.name) + 32;
    }
    pieces.at(-1)!.columns.push(column);
    size += bytes;
  }
  return pieces;
};

/** The tables of a snapshot's items, in order, with the pieces of a large table joined again. */
export const tablesOf = (items: readonly { tables: Uint8Array }[]): DiscoveredTable[] => {
  const tables: DiscoveredTable[] = [];
  for (const piece of items.flatMap((item) => JSON.parse(gunzipSync(item.tables).toString('utf8')) as DiscoveredTable[])) {
    const last = tables.at(-1);
    if (last?.name === piece.name) last.columns.push(...piece.columns);
    else tables.push(piece);
  }
  return tables;
};
