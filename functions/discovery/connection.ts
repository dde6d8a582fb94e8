import type { DatabaseType } from './database-types.ts';

/** A validated, normalised create request. The password is only ever handed to Fetcher. */
export interface ConnectionRequest {
  configName: string;
  databaseType: DatabaseType;
  host: string;
  port: number;
  databaseName: string;
  userName: string;
  password?: string;
  schema?: string;
}

/** A validated update: any of the create's fields; the password, if given, only ever goes to Fetcher. */
export type ConnectionChanges = Partial<ConnectionRequest>;

/** What Fetcher answered for a connection it holds (never a password). */
export interface FetcherConnection {
  fetcherConnectionId: string;
  configName: string;
  databaseType: DatabaseType;
  host: string;
  port: number;
  databaseName: string;
  userName: string;
  schema?: string;
  productName?: string;
  /** When Fetcher created it: how far back a sync must list to find it again. */
  createdAt?: Date;
}

export type ConnectionStatus = 'AVAILABLE' | 'UNREACHABLE' | 'UNKNOWN';

/** One observation of a Fetcher connection, as the discovery cache keeps it. */
export interface CachedConnection extends FetcherConnection {
  tenantId: string;
  id: string;
  status: ConnectionStatus;
  schemaDiscovered: boolean;
  /** When Fetcher was last seen holding it, as of the last write of this item (see connectionView). */
  lastSeenAt: Date;
  /** The stored schema snapshot: which one, its fingerprint, and when Fetcher was last asked for it. */
  snapshot?: { version: number; fingerprint: string; checkedAt: Date };
}

/** A column as Fetcher describes it: Fetcher 2.0 gives names only; type and nullable when it says so. */
export interface DiscoveredColumn {
  name: string;
  type?: string;
  nullable?: boolean;
}

export interface DiscoveredTable {
  name: string;
  columns: DiscoveredColumn[];
}

/** The seed's ConnectionResponse. */
export interface ConnectionView {
  id: string;
  configName: string;
  databaseType: DatabaseType;
  status: ConnectionStatus;
  schemaDiscovered: boolean;
  lastSeenAt: string;
}

/**
 * The seed's six fields. An unchanged connection costs a sync no write, so its item keeps the
 * lastSeenAt of its last write; every AVAILABLE connection was listed by the tenant's last complete
 * listing (the sync marks the others UNREACHABLE), so it was seen at least then.
 */
/** What a connection's view is made of: a listing's index carries these and no more. */
export type ListedConnection = Pick<CachedConnection, 'id' | 'configName' | 'databaseType' | 'status' | 'schemaDiscovered' | 'lastSeenAt'>;

export const connectionView = (connection: ListedConnection, lastListedAt?: Date): ConnectionView => {
  const seen =
    connection.status === 'AVAILABLE' && lastListedAt && lastListedAt > connection.lastSeenAt ? lastListedAt : connection.lastSeenAt;
  return {
    id: connection.id,
    configName: connection.configName,
    databaseType: connection.databaseType,
    status: connection.status,
    schemaDiscovered: connection.schemaDiscovered,
    lastSeenAt: seen.toISOString(),
  };
};
