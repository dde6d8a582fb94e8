import type { Call } from './call.ts';
import type { CachedConnection, ConnectionChanges, ConnectionRequest, DiscoveredTable, FetcherConnection } from './connection.ts';

export type { Call };

export interface CreateInFetcher extends ConnectionRequest {
  /** A fresh UUID per create, so an unknown outcome can be looked up afterwards. */
  matcherRequestId: string;
}

/** One page of Fetcher's listing, within a created-at window (dates as YYYY-MM-DD, UTC). */
export interface FetcherListQuery {
  startDate: string;
  endDate: string;
  page: number;
  limit: number;
}

export interface FetcherListPage {
  /** The items that parsed as connections, whatever their product. */
  connections: FetcherConnection[];
  /** How many items the page held, parsed or not: a page shorter than the limit is the last. */
  itemCount: number;
}

/** Fetcher, as the use cases need it; every call acts for `call.tenantId`. */
export interface FetcherPort {
  createConnection(input: CreateInFetcher, call: Call): Promise<FetcherConnection>;
  getSchema(fetcherConnectionId: string, call: Call): Promise<DiscoveredTable[]>;
  /** One page of the product's connections; reads are retried inside the call's deadline. */
  listConnections(query: FetcherListQuery, call: Call): Promise<FetcherListPage>;
  /** Whether Fetcher's own health check passes; false rather than an error when it cannot be reached. */
  isHealthy(call: Call): Promise<boolean>;
  /** Fetcher dials the database: success, or a failure it reports as the database's; a rate limit is MTCH-0210. */
  testConnection(fetcherConnectionId: string, call: Call): Promise<ConnectionTest>;
  /** The connection as Fetcher holds it now; undefined when Fetcher does not (or no longer) hold it. */
  getConnection(fetcherConnectionId: string, call: Call): Promise<FetcherConnection | undefined>;
  /** Never sent twice blindly: an unknown outcome is resolved by reading the connection back. */
  updateConnection(fetcherConnectionId: string, changes: ConnectionChanges, call: Call): Promise<FetcherConnection>;
  /** Soft delete; never sent twice blindly. Resolves when Fetcher no longer holds it. */
  deleteConnection(fetcherConnectionId: string, call: Call): Promise<void>;
}

export interface ConnectionTest {
  healthy: boolean;
  latencyMs: number;
}

/** Resolves a host name to its addresses; used only when the DNS host check is on. */
export type HostResolver = (host: string) => Promise<string[]>;

/** A cache write a request makes besides its answer: the connection, its schema, the tenant's registration and count. */
export type CacheStep = 'connection' | 'schema' | 'registry' | 'count';

/** What the use case reports about best-effort steps that failed without failing the request. */
export interface ProvisionObserver {
  connectionCreated(connection: CachedConnection): void;
  cacheWriteFailed(step: CacheStep, error: unknown): void;
  schemaDiscoverySkipped(error: unknown): void;
}
