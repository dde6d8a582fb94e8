import { GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionCache, SaveOutcome } from '../../discovery/cache-ports.ts';
import type { Call } from '../../discovery/call.ts';
import type { CachedConnection } from '../../discovery/connection.ts';
import { isConditionFailure } from './conditional-write.ts';
import {
  cachedConnectionOf,
  CONNECTION_PREFIX,
  connectionAttributes,
  connectionSortKey,
  indexKeys,
  partitionKey,
  type ConnectionItem,
} from './connection-item.ts';
import { connectionListing } from './dynamodb-connection-list.ts';
import { newConnectionWriter } from './dynamodb-new-connections.ts';
import type { DynamoDBSchemaSnapshots } from './dynamodb-schema-snapshots.ts';

// Long enough to outlast any sync that began before the delete; DynamoDB's TTL removes it afterwards.
const TOMBSTONE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** An UpdateItem's SET and REMOVE clauses for these attributes; undefined ones are removed. */
const updateOf = (attributes: Record<string, unknown>, extra: string[] = []) => {
  const names: Record<string, string> = { '#version': 'version', '#status': 'status' };
  const values: Record<string, unknown> = {};
  const set: string[] = [...extra];
  const remove: string[] = [];
  Object.entries(attributes).forEach(([name, value], index) => {
    names[`#a${index}`] = name;
    if (value === undefined) remove.push(`#a${index}`);
    else {
      set.push(`#a${index} = :a${index}`);
      values[`:a${index}`] = value;
    }
  });
  const expression = `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`;
  return { expression, names, values };
};

/**
 * The discovery cache on DynamoDB. Connection writes are conditional on the observation time (the
 * item's `version`): an older observation never replaces a newer one, and a deleted connection's
 * tombstone outranks any observation made before the delete.
 */
export const createConnectionCache = (
  client: DynamoDBDocumentClient,
  tableName: string,
  snapshots: Pick<DynamoDBSchemaSnapshots, 'dropSnapshots'>,
): ConnectionCache => {
  const key = (tenantId: string, id: string) => ({ pk: partitionKey(tenantId), sk: connectionSortKey(id) });
  // Every call ends by the request's deadline: a slow table makes a cache write fail, not the answer late.
  const bounded = (call: Call) => ({ abortSignal: call.deadline.signal() });

  /** A conditional update: 'created' or 'saved' when written (an upsert tells which), 'stale' when a newer observation refused it. */
  const write = async (input: ConstructorParameters<typeof UpdateCommand>[0], call: Call, upsert = false): Promise<SaveOutcome> => {
    try {
      const { Attributes } = await client.send(new UpdateCommand({ ...input, ReturnValues: 'UPDATED_OLD' }), bounded(call));
      // An upsert sets the id: an item that had none before is new. Other updates only ever change an item.
      return upsert && Attributes?.id === undefined ? 'created' : 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  };

  const saveConnection: ConnectionCache['saveConnection'] = (connection, observedAt, call) => {
    const { expression, names, values } = updateOf(connectionAttributes(connection, observedAt), [
      'updatedAt = :now',
      'createdAt = if_not_exists(createdAt, :now)',
      // The schema is the snapshot writer's: an upsert never says it was (or was not) discovered.
      'schemaDiscovered = if_not_exists(schemaDiscovered, :false)',
    ]);
    return write(
      {
        TableName: tableName,
        Key: key(connection.tenantId, connection.id),
        UpdateExpression: expression,
        ConditionExpression: 'attribute_not_exists(pk) OR (#version <= :version AND #status <> :deleted)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ...values,
          ':now': new Date().toISOString(),
          ':false': false,
          ':version': observedAt.getTime(),
          ':deleted': 'DELETED',
        },
      },
      call,
      true,
    );
  };

  return {
    ...connectionListing(client, tableName),
    ...newConnectionWriter(client, tableName, saveConnection),
    saveConnection,

    async markUnreachable(connection, observedAt, call) {
      const outcome = await write(
        {
          TableName: tableName,
          Key: key(connection.tenantId, connection.id),
          UpdateExpression:
            'SET #status = :unreachable, schemaDiscovered = :false, lastSeenAt = :seen, #version = :version, updatedAt = :now, ' +
            'statusKey = :statusKey, statusTypeKey = :statusTypeKey REMOVE snapshotVersion, snapshotFingerprint, snapshotCheckedAt',
          ConditionExpression: 'attribute_exists(pk) AND #status = :available AND #version <= :version',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':unreachable': 'UNREACHABLE',
            ':available': 'AVAILABLE',
            ':false': false,
            ':seen': connection.lastSeenAt.toISOString(),
            ':version': observedAt.getTime(),
            ':now': new Date().toISOString(),
            ...(({ statusKey, statusTypeKey }) => ({ ':statusKey': statusKey, ':statusTypeKey': statusTypeKey }))(
              indexKeys(connection.tenantId, 'UNREACHABLE', connection.databaseType),
            ),
          },
        },
        call,
      );
      if (outcome !== 'stale') await snapshots.dropSnapshots(connection.id, call);
      return outcome;
    },

    async removeConnection(connection, observedAt, call) {
      const outcome = await write(
        {
          TableName: tableName,
          Key: key(connection.tenantId, connection.id),
          UpdateExpression:
            'SET #status = :deleted, schemaDiscovered = :false, #version = :version, updatedAt = :now, expiresAt = :expires ' +
            'REMOVE tenantKey, statusKey, typeKey, statusTypeKey, snapshotVersion, snapshotFingerprint, snapshotCheckedAt',
          ConditionExpression: 'attribute_exists(pk) AND #version <= :version AND #status <> :deleted',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':deleted': 'DELETED',
            ':false': false,
            ':version': observedAt.getTime(),
            ':now': new Date().toISOString(),
            ':expires': Math.ceil((observedAt.getTime() + TOMBSTONE_LIFETIME_MS) / 1000),
          },
        },
        call,
      );
      if (outcome !== 'stale') await snapshots.dropSnapshots(connection.id, call);
      return outcome;
    },

    async findConnection(id, call) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key(call.tenantId, id) }), bounded(call));
      return Item ? cachedConnectionOf(Item as ConnectionItem) : undefined;
    },

    async loadConnections(call) {
      const connections: CachedConnection[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionKey(call.tenantId), ':prefix': CONNECTION_PREFIX },
        },
        bounded(call),
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const connection = cachedConnectionOf(item as ConnectionItem);
          if (connection) connections.push(connection);
        }
      }
      return connections;
    },
  };
};
