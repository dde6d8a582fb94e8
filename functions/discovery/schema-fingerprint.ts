import { createHash } from 'node:crypto';
import type { DiscoveredColumn, DiscoveredTable } from './connection.ts';

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A name listed twice is kept once (its first listing). */
const unique = <T extends { name: string }>(items: readonly T[]): T[] => {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
};

const canonicalColumn = ({ name, type, nullable }: DiscoveredColumn): DiscoveredColumn => ({
  name,
  ...(type === undefined ? {} : { type }),
  ...(nullable === undefined ? {} : { nullable }),
});

/** Tables as the schema route answers them: sorted by name, each name once, columns sorted by name. */
export const canonicalTables = (tables: readonly DiscoveredTable[]): DiscoveredTable[] =>
  unique(tables)
    .map((table) => ({ name: table.name, columns: unique(table.columns).map(canonicalColumn).sort(byName) }))
    .sort(byName);

/**
 * A snapshot's identity: the same tables and columns, in whatever order Fetcher lists them, give the
 * same fingerprint, so a sync writes a snapshot only when it changed.
 */
export const schemaFingerprint = (tables: readonly DiscoveredTable[]): string =>
  createHash('sha256')
    .update(JSON.stringify(canonicalTables(tables)))
    .digest('base64url');
