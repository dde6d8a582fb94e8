import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionCache, ConnectionQuery } from '../../discovery/cache-ports.ts';
import type { Call } from '../../discovery/call.ts';
import type { ListedConnection } from '../../discovery/connection.ts';
import { connectionSortKey, indexKeys, partitionKey, type ConnectionItem } from './connection-item.ts';

/** The sparse index that holds exactly the connections a query asks for, and its partition. */
const indexFor = (tenantId: string, { status, databaseType }: ConnectionQuery) => {
  const keys = indexKeys(tenantId, status ?? 'AVAILABLE', databaseType ?? 'POSTGRESQL');
  if (status && databaseType) return { name: 'ByStatusType', attribute: 'statusTypeKey', value: keys.statusTypeKey };
  if (status) return { name: 'ByStatus', attribute: 'statusKey', value: keys.statusKey };
  if (databaseType) return { name: 'ByType', attribute: 'typeKey', value: keys.typeKey };
  return { name: 'ByTenant', attribute: 'tenantKey', value: keys.tenantKey };
};

/**
 * A page of a tenant's connections: one Query of one index partition, in id order, reading one item
 * more than the page to know whether another follows. A filter that matches few connections still
 * reads only those: every filter has its own partition.
 */
export const connectionListing = (client: DynamoDBDocumentClient, tableName: string): Pick<ConnectionCache, 'listConnections'> => ({
  async listConnections(query, call: Call) {
    const index = indexFor(call.tenantId, query);
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': index.attribute },
        ExpressionAttributeValues: { ':value': index.value },
        Limit: query.limit + 1,
        ...(query.after
          ? { ExclusiveStartKey: { pk: partitionKey(call.tenantId), sk: connectionSortKey(query.after), [index.attribute]: index.value } }
          : {}),
      }),
      { abortSignal: call.deadline.signal() },
    );
    const connections = (Items as ConnectionItem[]).slice(0, query.limit).map((item): ListedConnection => ({
      id: item.id,
      configName: item.configName,
      databaseType: item.databaseType,
      status: item.status === 'DELETED' ? 'UNKNOWN' : item.status,
      schemaDiscovered: item.schemaDiscovered === true,
      lastSeenAt: new Date(item.lastSeenAt),
    }));
    return { connections, more: Items.length > query.limit };
  },
});
