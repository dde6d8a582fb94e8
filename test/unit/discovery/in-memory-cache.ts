import type {
  ConnectionCache,
  SaveOutcome,
  SchemaSnapshot,
  SchemaSnapshots,
  SyncLeases,
  SyncQueue,
  SyncRun,
  TenantRegistry,
  TenantSummaries,
  TenantSummary,
} from '../../../functions/discovery/cache-ports.ts';
import type { CachedConnection, DiscoveredTable } from '../../../functions/discovery/connection.ts';

interface Stored {
  connection: CachedConnection;
  version: number;
}

/**
 * The cache ports in memory, with the same rules the DynamoDB adapters keep: writes conditional on
 * the observation time, a snapshot pointer that only moves forward, leases that expire. Every write
 * is counted, so tests can check what a use case costs.
 */
export const inMemoryCache = (now: () => number = Date.now) => {
  const connections = new Map<string, Stored>();
  const tables = new Map<string, DiscoveredTable[]>();
  const summaries = new Map<string, TenantSummary>();
  const leases = new Map<string, { owner: string; startedAt: Date; expiresAt: number }>();
  const registered = new Set<string>();
  const enqueued: string[] = [];
  const writes: string[] = [];
  const key = (tenantId: string, id: string) => `${tenantId}/${id}`;
  const summaryOf = (tenantId: string) => summaries.get(tenantId) ?? { connectionCount: 0, countRevision: 0 };

  const upsert = (connection: CachedConnection, observedAt: Date): SaveOutcome => {
    const before = connections.get(key(connection.tenantId, connection.id));
    if (before && (before.version > observedAt.getTime() || before.connection.status === ('DELETED' as never))) return 'stale';
    const kept = before ? { schemaDiscovered: before.connection.schemaDiscovered, snapshot: before.connection.snapshot } : {};
    connections.set(key(connection.tenantId, connection.id), {
      connection: structuredClone({ ...connection, schemaDiscovered: false, snapshot: undefined, ...kept }),
      version: observedAt.getTime(),
    });
    return before ? 'saved' : 'created';
  };

  const cache: ConnectionCache = {
    async saveConnection(connection, observedAt) {
      writes.push(`save:${connection.configName}`);
      return upsert(connection, observedAt);
    },
    async saveNewConnections(given, observedAt) {
      // One write for the lot, as the DynamoDB adapter's transaction is; each outcome as saveConnection's.
      writes.push(`save-new:${given.length}`);
      return given.map((connection) => upsert(connection, observedAt));
    },
    async markUnreachable(connection, observedAt) {
      writes.push(`unreachable:${connection.configName}`);
      const before = connections.get(key(connection.tenantId, connection.id));
      if (!before || before.version > observedAt.getTime() || before.connection.status !== 'AVAILABLE') return 'stale';
      const { snapshot: _, ...rest } = before.connection;
      connections.set(key(connection.tenantId, connection.id), {
        connection: { ...rest, status: 'UNREACHABLE', schemaDiscovered: false, lastSeenAt: connection.lastSeenAt },
        version: observedAt.getTime(),
      });
      tables.delete(key(connection.tenantId, connection.id));
      return 'saved';
    },
    async findConnection(id, call) {
      const found = connections.get(key(call.tenantId, id))?.connection;
      return found?.status === ('DELETED' as never) ? undefined : structuredClone(found);
    },
    async loadConnections(call) {
      return [...connections.values()]
        .filter((s) => s.connection.tenantId === call.tenantId && s.connection.status !== ('DELETED' as never))
        .map((s) => structuredClone(s.connection));
    },
    async listConnections(query, call) {
      const matching = (await cache.loadConnections(call))
        .filter((c) => (!query.status || c.status === query.status) && (!query.databaseType || c.databaseType === query.databaseType))
        .filter((c) => query.after === undefined || c.id > query.after)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      return { connections: matching.slice(0, query.limit), more: matching.length > query.limit };
    },
    async removeConnection(connection, observedAt) {
      writes.push(`remove:${connection.configName}`);
      const before = connections.get(key(connection.tenantId, connection.id));
      if (!before || before.version > observedAt.getTime()) return 'stale';
      // The tombstone: it outranks observations made before the delete.
      connections.set(key(connection.tenantId, connection.id), {
        connection: { ...before.connection, status: 'DELETED' as never },
        version: observedAt.getTime(),
      });
      tables.delete(key(connection.tenantId, connection.id));
      return 'saved';
    },
  };

  const store = (connection: CachedConnection, snapshot: SchemaSnapshot): SaveOutcome => {
    const stored = connections.get(key(connection.tenantId, connection.id));
    const version = snapshot.observedAt.getTime();
    if (!stored || stored.connection.status !== 'AVAILABLE' || (stored.connection.snapshot?.version ?? -1) >= version) return 'stale';
    stored.connection.snapshot = { version, fingerprint: snapshot.fingerprint, checkedAt: snapshot.observedAt };
    stored.connection.schemaDiscovered = true;
    tables.set(key(connection.tenantId, connection.id), structuredClone(snapshot.tables));
    return 'saved';
  };

  const snapshots: SchemaSnapshots = {
    async saveSnapshot(connection, snapshot) {
      writes.push(`snapshot:${connection.configName}`);
      return store(connection, snapshot);
    },
    async saveSnapshots(entries) {
      writes.push(`snapshots:${entries.length}`);
      return entries.map(({ connection, snapshot }) => store(connection, snapshot));
    },
    async confirmSnapshot(connection, checkedAt) {
      writes.push(`confirm:${connection.configName}`);
      const stored = connections.get(key(connection.tenantId, connection.id));
      if (stored?.connection.snapshot) stored.connection.snapshot.checkedAt = checkedAt;
    },
    async readSnapshot(connection) {
      return structuredClone(tables.get(key(connection.tenantId, connection.id)) ?? []);
    },
    async discardSnapshot(connection, observedAt) {
      writes.push(`discard:${connection.configName}`);
      const stored = connections.get(key(connection.tenantId, connection.id));
      if (!stored || (stored.connection.snapshot?.version ?? -1) >= observedAt.getTime()) return;
      delete stored.connection.snapshot;
      stored.connection.schemaDiscovered = false;
      tables.delete(key(connection.tenantId, connection.id));
    },
  };

  const tenantSummaries: TenantSummaries = {
    async read(call) {
      return structuredClone(summaryOf(call.tenantId));
    },
    async adjustCount(delta, call) {
      writes.push('count');
      const { connectionCount, countRevision } = summaryOf(call.tenantId);
      summaries.set(call.tenantId, {
        ...summaryOf(call.tenantId),
        connectionCount: connectionCount + delta,
        countRevision: countRevision + 1,
      });
    },
    async recordRun(run: SyncRun, count, call) {
      writes.push('run');
      const summary: TenantSummary = { ...summaryOf(call.tenantId), lastRun: run };
      if (count) {
        // A recount holds only if nothing adjusted the count since the run read it.
        const connectionCount =
          summary.countRevision === count.countRevision ? count.connectionCount : summary.connectionCount + count.created;
        Object.assign(summary, { connectionCount, lastListedAt: count.listedAt, lastSyncAt: run.finishedAt });
      }
      summaries.set(call.tenantId, summary);
    },
  };

  const syncLeases: SyncLeases = {
    async acquire(owner, ttlMs, call) {
      const held = leases.get(call.tenantId);
      if (held && held.expiresAt >= now()) return { acquired: false, heldUntil: new Date(held.expiresAt) };
      leases.set(call.tenantId, { owner, startedAt: new Date(now()), expiresAt: now() + ttlMs });
      return { acquired: true };
    },
    async renew(owner, ttlMs, call) {
      const held = leases.get(call.tenantId);
      if (held?.owner !== owner) return false;
      held.expiresAt = now() + ttlMs;
      return true;
    },
    async release(owner, call) {
      if (leases.get(call.tenantId)?.owner === owner) leases.delete(call.tenantId);
    },
    async current(call) {
      const held = leases.get(call.tenantId);
      return held && held.expiresAt >= now() ? { startedAt: held.startedAt, expiresAt: new Date(held.expiresAt) } : undefined;
    },
  };

  const registry: TenantRegistry = {
    async register(tenantId) {
      registered.add(tenantId);
    },
    async list() {
      return [...registered];
    },
  };

  const queue: SyncQueue = {
    async enqueue(tenantIds) {
      enqueued.push(...tenantIds);
    },
  };

  return { cache, snapshots, summaries: tenantSummaries, leases: syncLeases, registry, queue, tables, enqueued, writes, registered };
};
