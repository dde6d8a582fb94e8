import type { CachedConnection, ConnectionStatus } from '../../discovery/connection.ts';
import type { DatabaseType } from '../../discovery/database-types.ts';

/** Every item of a tenant lives in its partition. */
export const partitionKey = (tenantId: string) => `TENANT#${tenantId}`;
export const connectionSortKey = (id: string) => `CONN#${id}`;
export const CONNECTION_PREFIX = 'CONN#';

/** The sparse index keys of a live connection: one partition per tenant and filter. */
export const indexKeys = (tenantId: string, status: ConnectionStatus, databaseType: DatabaseType) => ({
  tenantKey: `TENANT#${tenantId}`,
  statusKey: `TENANT#${tenantId}#STATUS#${status}`,
  typeKey: `TENANT#${tenantId}#TYPE#${databaseType}`,
  statusTypeKey: `TENANT#${tenantId}#STATUS#${status}#TYPE#${databaseType}`,
});

export const INDEX_KEY_NAMES = ['tenantKey', 'statusKey', 'typeKey', 'statusTypeKey'] as const;

/**
 * The cached attributes, picked one by one: the item is built from this allow-list and nothing else,
 * so a password cannot reach the table whatever the connection object carries.
 */
export const connectionAttributes = (c: CachedConnection, observedAt: Date) => ({
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
  fetcherCreatedAt: c.createdAt?.toISOString(),
  status: c.status,
  lastSeenAt: c.lastSeenAt.toISOString(),
  // Observations are ordered by when they were made; a write never replaces a newer one.
  version: observedAt.getTime(),
  ...indexKeys(c.tenantId, c.status, c.databaseType),
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
  fetcherCreatedAt?: string;
  status: ConnectionStatus | 'DELETED';
  schemaDiscovered?: boolean;
  lastSeenAt: string;
  snapshotVersion?: number;
  snapshotFingerprint?: string;
  snapshotCheckedAt?: string;
}

/** The cached connection an item holds; undefined for the tombstone of a deleted one. */
export const cachedConnectionOf = (item: ConnectionItem): CachedConnection | undefined =>
  item.status === 'DELETED'
    ? undefined
    : {
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
        ...(item.fetcherCreatedAt ? { createdAt: new Date(item.fetcherCreatedAt) } : {}),
        status: item.status,
        schemaDiscovered: item.schemaDiscovered === true,
        lastSeenAt: new Date(item.lastSeenAt),
        ...(item.snapshotVersion !== undefined && item.snapshotFingerprint && item.snapshotCheckedAt
          ? {
              snapshot: {
                version: item.snapshotVersion,
                fingerprint: item.snapshotFingerprint,
                checkedAt: new Date(item.snapshotCheckedAt),
              },
            }
          : {}),
      };
