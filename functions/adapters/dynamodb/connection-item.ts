import type { CachedConnection, ConnectionStatus } from '../../discovery/connection.ts';
import type { DatabaseType } from '../../discovery/database-types.ts';

/** Every item of a tenant lives in its partition. */
export const partitionKey = (tenantId: string) => `TENANT#${tenantId}`;
export const connectionSortKey = (id: string) => `CONN#${id}`;

// Observations are ordered by when they were made; a write never replaces a newer one.
export const versionOf = (c: CachedConnection) => c.lastSeenAt.getTime();

/**
 * The cached attributes, picked one by one: the item is built from this allow-list and nothing else,
 * so a password cannot reach the table whatever the connection object carries.
 */
export const connectionAttributes = (c: CachedConnection) => ({
  id: c.id,
  fetcherConnectionId: c.fetcherConnectionId,
  configName: c.configName,
  databaseType: c.databaseType,
  host: c.host,
  port: c.port,
  databaseName: c.databaseName,
  schema: c.schema,
  userName: c.userName,
  productName: c.productName,
  status: c.status,
  lastSeenAt: c.lastSeenAt.toISOString(),
  version: versionOf(c),
});

/** A connection item as DynamoDB returns it. */
export interface ConnectionItem {
  pk: string;
  id: string;
  fetcherConnectionId: string;
  configName: string;
  databaseType: DatabaseType;
  host: string;
  port: number;
  databaseName: string;
  schema?: string;
  userName: string;
  productName?: string;
  status: ConnectionStatus;
  schemaDiscovered?: boolean;
  lastSeenAt: string;
}

/** The cached connection an item holds. */
export const cachedConnectionOf = (item: ConnectionItem): CachedConnection => ({
  tenantId: item.pk.slice('TENANT#'.length),
  id: item.id,
  fetcherConnectionId: item.fetcherConnectionId,
  configName: item.configName,
  databaseType: item.databaseType,
  host: item.host,
  port: item.port,
  databaseName: item.databaseName,
  userName: item.userName,
  ...(item.schema ? { schema: item.schema } : {}),
  ...(item.productName ? { productName: item.productName } : {}),
  status: item.status,
  schemaDiscovered: item.schemaDiscovered === true,
  lastSeenAt: new Date(item.lastSeenAt),
});
