import type { SchemaSnapshots } from './cache-ports.ts';
import type { CachedConnection } from './connection.ts';
import type { Call, FetcherPort, ProvisionObserver } from './ports.ts';
import { canonicalTables, schemaFingerprint } from './schema-fingerprint.ts';

const MIN_SCHEMA_TIME_MS = 500;

export interface DiscoveryDependencies {
  fetcher: Pick<FetcherPort, 'getSchema'>;
  snapshots: Pick<SchemaSnapshots, 'saveSnapshot'>;
  observer: Pick<ProvisionObserver, 'cacheWriteFailed' | 'schemaDiscoverySkipped'>;
  /** How long the request may spend asking Fetcher; 0 turns discovery in a request off. */
  schemaDiscoveryBudgetMs: number;
  now: () => Date;
}

/**
 * Best-effort schema discovery inside a request (create, update): Fetcher is asked within the budget,
 * and the snapshot stored. True when the schema is now discovered; any failure is reported, never thrown.
 */
export const discoverSchema = async (deps: DiscoveryDependencies, connection: CachedConnection, call: Call): Promise<boolean> => {
  // Too little time left to store what it would find: leave it to the sync.
  if (deps.schemaDiscoveryBudgetMs <= 0 || call.deadline.remainingMs() < MIN_SCHEMA_TIME_MS) return false;
  let tables;
  try {
    tables = await deps.fetcher.getSchema(connection.fetcherConnectionId, {
      ...call,
      deadline: call.deadline.within(deps.schemaDiscoveryBudgetMs),
    });
  } catch (error) {
    deps.observer.schemaDiscoverySkipped(error);
    return false;
  }
  const snapshot = { tables: canonicalTables(tables), fingerprint: schemaFingerprint(tables), observedAt: deps.now() };
  try {
    return (await deps.snapshots.saveSnapshot(connection, snapshot, call)) !== 'stale';
  } catch (error) {
    deps.observer.cacheWriteFailed('schema', error);
    return false;
  }
};
