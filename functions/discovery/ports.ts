import type { CachedConnection, ConnectionRequest, DiscoveredTable, FetcherConnection } from './connection.ts';
import type { Deadline } from './deadline.ts';

/** What every outbound call carries: the tenant it acts for, the request it serves, and when it must end. */
export interface Call {
  tenantId: string;
  requestId: string;
  deadline: Deadline;
}

export interface CreateInFetcher extends ConnectionRequest {
  /** A fresh UUID per create, so an unknown outcome can be looked up afterwards. */
  matcherRequestId: string;
}

/** Fetcher, as the use cases need it; every call acts for `call.tenantId`. */
export interface FetcherPort {
  createConnection(input: CreateInFetcher, call: Call): Promise<FetcherConnection>;
  getSchema(fetcherConnectionId: string, call: Call): Promise<DiscoveredTable[]>;
}

export type SaveOutcome = 'saved' | 'stale';

/** The discovery cache. Every call ends by call.deadline, failing rather than making the answer late. */
export interface ConnectionCache {
  /** Upserts the connection unless a newer observation is already stored ('stale'). */
  saveConnection(connection: CachedConnection, call: Call): Promise<SaveOutcome>;
  /** Stores this snapshot of the connection's tables, replacing older ones, and marks the schema discovered. */
  saveSchema(connection: CachedConnection, tables: DiscoveredTable[], call: Call): Promise<SaveOutcome>;
  /** The connection with our id in the call's tenant, if cached. */
  findConnection(id: string, call: Call): Promise<CachedConnection | undefined>;
}

/** Resolves a host name to its addresses; used only when the DNS host check is on. */
export type HostResolver = (host: string) => Promise<string[]>;

/** What the use case reports about best-effort steps that failed without failing the request. */
export interface ProvisionObserver {
  connectionCreated(connection: CachedConnection): void;
  cacheWriteFailed(step: 'connection' | 'schema', error: unknown): void;
  schemaDiscoverySkipped(error: unknown): void;
}
