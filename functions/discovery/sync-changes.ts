import { connectionId } from './connection-id.ts';
import type { CachedConnection, FetcherConnection } from './connection.ts';

/** What a listing changes in the cache. Unchanged connections cost nothing. */
export interface SyncChanges {
  created: CachedConnection[];
  updated: CachedConnection[];
  /** Cached as UNREACHABLE, listed again: AVAILABLE under the same id. */
  revived: CachedConnection[];
  unchanged: CachedConnection[];
  /** Cached as AVAILABLE and not listed: UNREACHABLE, if the listing was complete. */
  vanished: CachedConnection[];
}

/** Fetcher's details the cache keeps: a change in any of them is worth a write. */
const DETAILS = ['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'schema', 'productName'] as const;

const sameDetails = (cached: CachedConnection, listed: FetcherConnection) =>
  DETAILS.every((field) => cached[field] === listed[field]) && cached.createdAt?.getTime() === listed.createdAt?.getTime();

/** Diffs a listing against the cache: the deterministic id makes a listed connection the cached one. */
export const planSync = (tenantId: string, cached: readonly CachedConnection[], listed: Iterable<FetcherConnection>, listedAt: Date) => {
  const byId = new Map(cached.map((connection) => [connection.id, connection]));
  const changes: SyncChanges = { created: [], updated: [], revived: [], unchanged: [], vanished: [] };
  const seen = new Set<string>();
  for (const connection of listed) {
    const id = connectionId(tenantId, connection.fetcherConnectionId);
    seen.add(id);
    const before = byId.get(id);
    if (before?.status === 'AVAILABLE' && sameDetails(before, connection)) {
      changes.unchanged.push(before);
      continue;
    }
    const current: CachedConnection = {
      ...connection,
      tenantId,
      id,
      status: 'AVAILABLE',
      // A revived connection's schema was dropped when it vanished; an updated one keeps its snapshot.
      schemaDiscovered: before?.status === 'AVAILABLE' ? before.schemaDiscovered : false,
      lastSeenAt: listedAt,
      ...(before?.status === 'AVAILABLE' && before.snapshot ? { snapshot: before.snapshot } : {}),
    };
    (before === undefined ? changes.created : before.status === 'AVAILABLE' ? changes.updated : changes.revived).push(current);
  }
  changes.vanished = cached.filter((connection) => connection.status === 'AVAILABLE' && !seen.has(connection.id));
  return changes;
};
