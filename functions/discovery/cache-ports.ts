import type { CachedConnection, ConnectionStatus, DiscoveredTable, ListedConnection } from './connection.ts';
import type { DatabaseType } from './database-types.ts';
import type { Call } from './call.ts';

/** created: it was not cached; saved: it was; stale: a newer observation is already stored, nothing written. */
export type SaveOutcome = 'created' | 'saved' | 'stale';

/**
 * The discovery cache, one tenant at a time (call.tenantId). Every write is conditional on when it
 * was observed (`observedAt`), so an older observation never replaces a newer one. Every call ends by
 * call.deadline, failing rather than making the answer late.
 */
export interface ConnectionCache {
  /** Upserts the connection's details and status, keeping its schema snapshot. */
  saveConnection(connection: CachedConnection, observedAt: Date, call: Call): Promise<SaveOutcome>;
  /**
   * Caches connections the caller found uncached, many to a request: each only if still absent; one
   * cached meanwhile is saved as saveConnection would. The outcomes are in the order given.
   */
  saveNewConnections(connections: CachedConnection[], observedAt: Date, call: Call): Promise<SaveOutcome[]>;
  /** Marks it UNREACHABLE with its schema dropped; lastSeenAt is the one the connection carries. */
  markUnreachable(connection: CachedConnection, observedAt: Date, call: Call): Promise<SaveOutcome>;
  /** The connection with our id in the call's tenant, if cached. */
  findConnection(id: string, call: Call): Promise<CachedConnection | undefined>;
  /** Every connection cached for the tenant. */
  loadConnections(call: Call): Promise<CachedConnection[]>;
  /** One page of the tenant's connections, in id order, after the id given; `more` when another page follows. */
  listConnections(query: ConnectionQuery, call: Call): Promise<{ connections: ListedConnection[]; more: boolean }>;
  /**
   * Removes a deleted connection and its schema. What stays is a short-lived tombstone that outranks
   * any observation made before the delete, so a sync that listed it earlier cannot bring it back.
   */
  removeConnection(connection: CachedConnection, observedAt: Date, call: Call): Promise<SaveOutcome>;
}

export interface ConnectionQuery {
  status?: ConnectionStatus;
  databaseType?: DatabaseType;
  /** The id of the last connection of the previous page. */
  after?: string;
  limit: number;
}

/** A connection's schema: one snapshot at a time, written whole or not at all. */
export interface SchemaSnapshots {
  /** Stores the snapshot and marks the schema discovered, unless a newer observation is stored. */
  saveSnapshot(connection: CachedConnection, snapshot: SchemaSnapshot, call: Call): Promise<SaveOutcome>;
  /** saveSnapshot for many connections; first snapshots go many to a request. The outcomes are in the order given. */
  saveSnapshots(entries: { connection: CachedConnection; snapshot: SchemaSnapshot }[], call: Call): Promise<SaveOutcome[]>;
  /** Records that Fetcher answered the same snapshot again: one small write, the tables untouched. */
  confirmSnapshot(connection: CachedConnection, checkedAt: Date, call: Call): Promise<void>;
  readSnapshot(connection: CachedConnection, call: Call): Promise<DiscoveredTable[]>;
  /** Forgets the snapshot (the connection now points elsewhere): schemaDiscovered false until the next discovery. */
  discardSnapshot(connection: CachedConnection, observedAt: Date, call: Call): Promise<void>;
}

export interface SchemaSnapshot {
  tables: DiscoveredTable[];
  fingerprint: string;
  observedAt: Date;
}

export type RunOutcome = 'completed' | 'incomplete' | 'failed';

/** What a tenant's last sync run left behind. */
export interface SyncRun {
  startedAt: Date;
  finishedAt: Date;
  outcome: RunOutcome;
  connectionsSynced: number;
}

/** One small item per tenant: what the status route and the lastSeenAt rule read, in one read. */
export interface TenantSummary {
  connectionCount: number;
  /** How many times the count was adjusted outside a sync: a run's recount holds only if none came in between. */
  countRevision: number;
  /** When the last listing of Fetcher that was complete began: every AVAILABLE connection was seen then. */
  lastListedAt?: Date;
  /** When the last complete sync finished. */
  lastSyncAt?: Date;
  lastRun?: SyncRun;
}

/** What a run that left nothing undone knows of the tenant's connections. */
export interface RunCount {
  /** When its listing of Fetcher began: every AVAILABLE connection was seen then. */
  listedAt: Date;
  /** The connections it found cached, plus those it created. */
  connectionCount: number;
  /** The summary's countRevision read before it loaded the cache. */
  countRevision: number;
  /** The connections it created itself: what the count gains when a create or delete adjusted it meanwhile. */
  created: number;
}

export interface TenantSummaries {
  read(call: Call): Promise<TenantSummary>;
  /** A connection cached or removed outside a sync; bumps countRevision. */
  adjustCount(delta: number, call: Call): Promise<void>;
  /**
   * A sync run ended. A run that left nothing undone also sets lastListedAt and the count: its recount
   * when no adjustment came in since it read the revision, else the count as adjusted plus what it created.
   */
  recordRun(run: SyncRun, count: RunCount | undefined, call: Call): Promise<void>;
}

/** A lease on one tenant's sync: at most one run at a time, and a crashed run's lease expires. */
export interface SyncLeases {
  /** The lease, or when the current holder's lease runs out. */
  acquire(owner: string, ttlMs: number, call: Call): Promise<{ acquired: true } | { acquired: false; heldUntil: Date }>;
  /** Extends the lease; false when it was lost (expired and taken by another run). */
  renew(owner: string, ttlMs: number, call: Call): Promise<boolean>;
  release(owner: string, call: Call): Promise<void>;
  /** The live lease of the tenant, if any. */
  current(call: Call): Promise<{ startedAt: Date; expiresAt: Date } | undefined>;
}

/** The tenants the scheduled sync covers: every tenant that created a connection or asked for a refresh. */
export interface TenantRegistry {
  register(tenantId: string, call: Call): Promise<void>;
  list(call: Call): Promise<string[]>;
}

/** Where a tenant's sync is handed to the background (SQS in AWS). */
export interface SyncQueue {
  enqueue(tenantIds: string[], call: Call): Promise<void>;
}
