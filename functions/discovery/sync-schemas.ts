import type { SchemaSnapshot, SchemaSnapshots } from './cache-ports.ts';
import type { CachedConnection } from './connection.ts';
import { inParallel } from './in-parallel.ts';
import type { Call, FetcherPort } from './ports.ts';
import { canonicalTables, schemaFingerprint } from './schema-fingerprint.ts';

export interface SchemaRefresh {
  refreshed: number;
  /** Fetcher answered the snapshot already stored: only its check time was written. */
  confirmed: number;
  /** Fetcher could not give the schema (the database down, Fetcher failing): the previous snapshot stays. */
  failed: number;
  /** Candidates left for a later run because the budget ran out. */
  skipped: number;
}

export interface SchemaRefreshDependencies {
  fetcher: FetcherPort;
  snapshots: SchemaSnapshots;
  now: () => Date;
  concurrency: number;
  /** Whether there is still time (and a lease) for one more connection. */
  mayContinue: () => Promise<boolean>;
}

/** A snapshot is due when there is none, or when Fetcher was last asked for it longer ago than the maximum age. */
export const snapshotDue = (connection: CachedConnection, now: Date, maxAgeMs: number): boolean =>
  connection.snapshot === undefined || now.getTime() - connection.snapshot.checkedAt.getTime() >= maxAgeMs;

// First snapshots go two actions each (a chunk, a pointer) into a transaction of up to 100.
const SNAPSHOTS_PER_WRITE = 50;

/**
 * Asks Fetcher for the schemas of `due`, a few at a time, and stores each snapshot only when its
 * fingerprint changed, many to a write. A failure keeps the previous snapshot and never stops the others.
 */
export const refreshSchemas = async (
  deps: SchemaRefreshDependencies,
  due: readonly CachedConnection[],
  call: Call,
): Promise<SchemaRefresh> => {
  const counts: SchemaRefresh = { refreshed: 0, confirmed: 0, failed: 0, skipped: 0 };
  const pending: { connection: CachedConnection; snapshot: SchemaSnapshot }[] = [];
  const flush = async () => {
    const batch = pending.splice(0);
    if (batch.length === 0) return;
    const outcomes = await deps.snapshots.saveSnapshots(batch, call).catch(() => undefined);
    if (!outcomes) counts.failed += batch.length;
    else counts.refreshed += outcomes.filter((outcome) => outcome !== 'stale').length;
  };
  await inParallel(due, deps.concurrency, async (connection) => {
    if (!(await deps.mayContinue())) {
      counts.skipped++;
      return;
    }
    try {
      const tables = await deps.fetcher.getSchema(connection.fetcherConnectionId, call);
      const observedAt = deps.now();
      const fingerprint = schemaFingerprint(tables);
      if (fingerprint === connection.snapshot?.fingerprint) {
        await deps.snapshots.confirmSnapshot(connection, observedAt, call);
        counts.confirmed++;
        return;
      }
      pending.push({ connection, snapshot: { tables: canonicalTables(tables), fingerprint, observedAt } });
    } catch {
      counts.failed++;
      return;
    }
    if (pending.length >= SNAPSHOTS_PER_WRITE) await flush();
  });
  await flush();
  return counts;
};
