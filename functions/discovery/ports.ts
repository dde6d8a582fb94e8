import type { CachedConnection, ConnectionRequest, DiscoveredTable, FetcherConnection } from './connection.ts';

/** Per-request facts every outbound call needs. */
export interface CallContext {
  requestId: string;
  /** Epoch ms by which every call must have ended (the Lambda's remaining time, less a margin). */
  deadline: number;
}

export interface CreateInFetcher extends ConnectionRequest {
  /** A fresh UUID per create, so an unknown outcome can be looked up afterwards. */
  matcherRequestId: string;
}

export interface FetcherPort {
  createConnection(input: CreateInFetcher, call: CallContext): Promise<FetcherConnection>;
  getSchema(fetcherConnectionId: string, call: CallContext): Promise<DiscoveredTable[]>;
}

export type SaveOutcome = 'saved' | 'stale';

/** Every write ends by call.deadline, failing rather than making the answer late. */
export interface ConnectionCache {
  /** Upserts the connection unless a newer observation is already stored ('stale'). */
  saveConnection(connection: CachedConnection, call: CallContext): Promise<SaveOutcome>;
  /** Stores this snapshot's tables beside the connection, drops older ones, then marks the schema discovered. */
  saveSchema(connection: CachedConnection, tables: DiscoveredTable[], call: CallContext): Promise<SaveOutcome>;
}

/** Resolves a host name to its addresses; used only when the DNS host check is on. */
export type HostResolver = (host: string) => Promise<string[]>;

/** What the use case reports about best-effort steps that failed without failing the request. */
export interface ProvisionObserver {
  connectionCreated(connection: CachedConnection): void;
  cacheWriteFailed(step: 'connection' | 'schema', error: unknown): void;
  schemaDiscoverySkipped(error: unknown): void;
}
