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
}

export type ConnectionStatus = 'AVAILABLE' | 'UNREACHABLE' | 'UNKNOWN';

/** One observation of a Fetcher connection, as the discovery cache keeps it. */
export interface CachedConnection extends FetcherConnection {
  tenantId: string;
  id: string;
  status: ConnectionStatus;
  schemaDiscovered: boolean;
  /** When Fetcher was seen holding it; also orders observations, so an older one never wins. */
  lastSeenAt: Date;
}

export interface DiscoveredTable {
  name: string;
  fields: string[];
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

export const connectionView = (connection: CachedConnection): ConnectionView => ({
  id: connection.id,
  configName: connection.configName,
  databaseType: connection.databaseType,
  status: connection.status,
  schemaDiscovered: connection.schemaDiscovered,
  lastSeenAt: connection.lastSeenAt.toISOString(),
});
