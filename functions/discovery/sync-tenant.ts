import type { ConnectionCache, RunCount, SchemaSnapshots, SyncLeases, TenantSummaries } from './cache-ports.ts';
import type { CachedConnection } from './connection.ts';
import { MatcherError } from './errors.ts';
import { listFetcherConnections } from './fetcher-listing.ts';
import type { Call, FetcherPort } from './ports.ts';
import { planSync } from './sync-changes.ts';
import { refreshSchemas, snapshotDue } from './sync-schemas.ts';
import { syncWriter } from './sync-writes.ts';

export interface SyncOptions {
  productName: string;
  /** Always walk back at least this many months, even with an empty cache. */
  historyMonths: number;
  windowDays: number;
  schemaMaxAgeMs: number;
  schemaConcurrency: number;
}

export interface SyncDependencies {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  snapshots: SchemaSnapshots;
  summaries: TenantSummaries;
  leases: SyncLeases;
  options: SyncOptions;
  now: () => Date;
  /** A fresh owner token per run. */
  newOwner: () => string;
}

export interface SyncResult {
  listed: number;
  created: number;
  updated: number;
  unchanged: number;
  unreachable: number;
  revived: number;
  schemasRefreshed: number;
  schemasFailed: number;
  /** Listed connections whose cache entry is now current. */
  connectionsSynced: number;
  /** Every window was listed: only then is anything marked UNREACHABLE. */
  listingComplete: boolean;
  /** Nothing was left undone: not the listing, not a write, not a due schema. */
  complete: boolean;
  /** Why the listing stopped short, when it was not the budget running out. */
  listingError?: unknown;
}

const LEASE_TTL_MS = 60_000;
const RENEW_AFTER_MS = 20_000;
// Kept back from the run's deadline to record the run and release the lease.
const FINISH_MARGIN_MS = 1_500;
const MIN_STEP_MS = 250;
const MONTH_MS = 30.44 * 86_400_000;

/**
 * One sync of one tenant: under a lease, list every connection of the product in Fetcher, write what
 * changed (created, updated, revived), mark what vanished UNREACHABLE (only after a complete
 * listing), refresh due schemas, and record the run. Writes are conditional on the run's start, so a
 * create or an update made while it runs is never undone.
 */
export const syncTenant =
  (deps: SyncDependencies) =>
  async (call: Call): Promise<SyncResult> => {
    const owner = deps.newOwner();
    const claim = await deps.leases.acquire(owner, LEASE_TTL_MS, call);
    if (!claim.acquired) {
      const seconds = Math.max(1, Math.ceil((claim.heldUntil.getTime() - deps.now().getTime()) / 1000));
      throw new MatcherError('MTCH-0205', 'A sync of this tenant is already running.', { retryAfterSeconds: seconds });
    }
    const startedAt = deps.now();
    const work = { ...call, deadline: call.deadline.shortenedBy(FINISH_MARGIN_MS) };
    let renewedAt = startedAt.getTime();
    let leaseLost = false;
    const mayContinue = async () => {
      if (leaseLost || work.deadline.remainingMs() < MIN_STEP_MS) return false;
      if (deps.now().getTime() - renewedAt >= RENEW_AFTER_MS) {
        renewedAt = deps.now().getTime();
        leaseLost = !(await deps.leases.renew(owner, LEASE_TTL_MS, work).catch(() => false));
      }
      return !leaseLost;
    };
    try {
      const { result, count } = await run(deps, startedAt, mayContinue, work);
      await deps.summaries.recordRun(
        {
          startedAt,
          finishedAt: deps.now(),
          outcome: result.complete ? 'completed' : 'incomplete',
          connectionsSynced: result.connectionsSynced,
        },
        count,
        call,
      );
      return result;
    } finally {
      await deps.leases.release(owner, call).catch(() => undefined);
    }
  };

const run = async (deps: SyncDependencies, startedAt: Date, mayContinue: () => Promise<boolean>, call: Call) => {
  const { options } = deps;
  // The summary first: an adjustment of the count made before it was read is in the cache loaded after.
  const summary = await deps.summaries.read(call);
  const cached = await deps.cache.loadConnections(call);
  const history = new Date(startedAt.getTime() - options.historyMonths * MONTH_MS);
  const oldest = Math.min(history.getTime(), ...cached.map((connection) => connection.createdAt?.getTime() ?? Number.POSITIVE_INFINITY));
  const listing = await listFetcherConnections(
    deps.fetcher,
    { productName: options.productName, since: new Date(oldest), now: startedAt, windowDays: options.windowDays },
    call,
  );
  const changes = planSync(call.tenantId, cached, listing.connections.values(), startedAt);
  const writes = syncWriter(mayContinue);
  const upsert = (connection: CachedConnection) => deps.cache.saveConnection(connection, startedAt, call);
  const [created, updated, revived] = [
    // A tenant's first sync finds every connection new: they go a hundred to a write.
    await writes.grouped(changes.created, (group) => deps.cache.saveNewConnections(group, startedAt, call)),
    await writes.each(changes.updated, upsert),
    await writes.each(changes.revived, upsert),
  ];

  let unreachable: CachedConnection[] = [];
  if (listing.complete) {
    // Seen last at the last complete listing, if that came after the item's own last write.
    const lastSeen = (connection: CachedConnection) =>
      summary.lastListedAt && summary.lastListedAt > connection.lastSeenAt ? summary.lastListedAt : connection.lastSeenAt;
    const gone = changes.vanished.map((c): CachedConnection => ({
      ...c,
      status: 'UNREACHABLE',
      schemaDiscovered: false,
      lastSeenAt: lastSeen(c),
    }));
    unreachable = await writes.each(gone, (connection) => deps.cache.markUnreachable(connection, startedAt, call));
  }

  // Changed details may point at another database: refresh those whatever their snapshot's age.
  const due = [...created, ...updated, ...revived, ...changes.unchanged.filter((c) => snapshotDue(c, startedAt, options.schemaMaxAgeMs))];
  const schemas = await refreshSchemas(
    { fetcher: deps.fetcher, snapshots: deps.snapshots, now: deps.now, concurrency: options.schemaConcurrency, mayContinue },
    due,
    call,
  );
  const complete = listing.complete && !writes.state.leftUndone && schemas.skipped === 0 && unreachable.length === changes.vanished.length;

  const result: SyncResult = {
    listed: listing.connections.size,
    created: created.length,
    updated: updated.length,
    unchanged: changes.unchanged.length,
    unreachable: unreachable.length,
    revived: revived.length,
    schemasRefreshed: schemas.refreshed,
    schemasFailed: schemas.failed,
    connectionsSynced: created.length + updated.length + revived.length + changes.unchanged.length,
    listingComplete: listing.complete,
    complete,
    ...(listing.complete || call.deadline.remainingMs() < MIN_STEP_MS ? {} : { listingError: listing.error }),
  };
  // Only a run that left nothing undone may say every AVAILABLE connection was seen at its start.
  const count: RunCount | undefined = complete
    ? {
        listedAt: startedAt,
        connectionCount: cached.length + writes.state.firstCached,
        countRevision: summary.countRevision,
        created: writes.state.firstCached,
      }
    : undefined;
  return { result, count };
};
