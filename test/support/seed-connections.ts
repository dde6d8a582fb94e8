import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '../../functions/adapters/dynamodb/batch-write.ts';
import { connectionAttributes, connectionSortKey, partitionKey } from '../../functions/adapters/dynamodb/connection-item.ts';
import { documentClientOf } from '../../functions/adapters/dynamodb/dynamodb-client.ts';
import { createConnectionCache } from '../../functions/adapters/dynamodb/dynamodb-connection-cache.ts';
import { createSchemaSnapshots } from '../../functions/adapters/dynamodb/dynamodb-schema-snapshots.ts';
import type { CachedConnection, ConnectionStatus } from '../../functions/discovery/connection.ts';
import { connectionId } from '../../functions/discovery/connection-id.ts';
import { DATABASE_TYPES, type DatabaseType } from '../../functions/discovery/database-types.ts';
import { testCall } from './call.ts';
import { TEST_TABLES } from './global-setup.ts';

export const STATUSES: readonly ConnectionStatus[] = ['AVAILABLE', 'UNREACHABLE', 'UNKNOWN'];

export interface SeededConnection {
  id: string;
  configName: string;
  status: ConnectionStatus;
  databaseType: DatabaseType;
}

/**
 * `count` connections of one tenant, stored as the real cache adapter stores them: the first through
 * its saveConnection, the rest in batches built from the same attribute list (connectionAttributes,
 * list index keys included), checked to hold exactly the attributes the adapter's item holds. Batches
 * keep 1 000 connections to seconds on DynamoDB Local. Statuses and types take turns, so every filter
 * matches a known share of them.
 */
export const seedConnections = async (client: DynamoDBClient, tenantId: string, count: number): Promise<SeededConnection[]> => {
  const documents = documentClientOf(client);
  const cache = createConnectionCache(documents, TEST_TABLES.cache, createSchemaSnapshots(documents, TEST_TABLES.cache));
  const observedAt = new Date();
  const connections: CachedConnection[] = Array.from({ length: count }, (_, index) => {
    const fetcherConnectionId = randomUUID();
    return {
      tenantId,
      id: connectionId(tenantId, fetcherConnectionId),
      fetcherConnectionId,
      configName: `seeded-${String(index).padStart(5, '0')}`,
      databaseType: DATABASE_TYPES[index % DATABASE_TYPES.length]!,
      host: 'db.example.com',
      port: 5432,
      databaseName: 'ledger',
      userName: 'matcher_ro',
      productName: 'matcher',
      // Seven steps against five types: every status meets every type.
      status: STATUSES[index % 7 < 4 ? 0 : index % 7 < 6 ? 1 : 2]!,
      schemaDiscovered: false,
      lastSeenAt: observedAt,
    };
  });
  const call = testCall({ tenantId, inMs: 120_000 });
  const [first, ...rest] = connections;
  if (!first) return [];
  if ((await cache.saveConnection(first, observedAt, call)) !== 'created') throw new Error('seeding: the first save was not a create');
  const { Item: written = {} } = await documents.send(
    new GetCommand({ TableName: TEST_TABLES.cache, Key: { pk: partitionKey(tenantId), sk: connectionSortKey(first.id) } }),
  );
  const itemOf = (connection: CachedConnection) => {
    const attributes = Object.entries(connectionAttributes(connection, observedAt)).filter(([, value]) => value !== undefined);
    return {
      ...Object.fromEntries(attributes),
      pk: partitionKey(tenantId),
      sk: connectionSortKey(connection.id),
      createdAt: written.createdAt as string,
      updatedAt: written.updatedAt as string,
      schemaDiscovered: false,
    };
  };
  const shape = (item: Record<string, unknown>) => Object.keys(item).sort().join(',');
  if (shape(itemOf(first)) !== shape(written)) throw new Error(`seeding: ${shape(itemOf(first))} is not the adapter's ${shape(written)}`);
  await batchWrite(
    documents,
    TEST_TABLES.cache,
    rest.map((connection) => ({ PutRequest: { Item: itemOf(connection) } })),
    call.deadline,
  );
  return connections.map(({ id, configName, status, databaseType }) => ({ id, configName, status, databaseType }));
};
