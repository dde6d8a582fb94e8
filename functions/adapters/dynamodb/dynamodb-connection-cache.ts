import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CachedConnection, DiscoveredTable } from '../../discovery/connection.ts';
import type { Call, ConnectionCache, SaveOutcome } from '../../discovery/ports.ts';
import {
  cachedConnectionOf,
  connectionAttributes,
  connectionSortKey,
  partitionKey,
  versionOf,
  type ConnectionItem,
} from './connection-item.ts';
import { tableItems, tablePrefix } from './schema-items.ts';

// Table items are written one conditional put at a time (a batch cannot be conditional), a few at once.
const WRITE_CONCURRENCY = 8;

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** Runs `task` over `items`, at most `limit` at a time. */
const inParallel = async <T>(items: T[], limit: number, task: (item: T) => Promise<void>) => {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
};

export const createConnectionCache = (client: DynamoDBDocumentClient, tableName: string): ConnectionCache => {
  const key = (c: CachedConnection) => ({ pk: partitionKey(c.tenantId), sk: connectionSortKey(c.id) });
  // Every call ends by the request's deadline: a slow table makes a cache write fail, not the answer late.
  const bounded = (call: Call) => ({ abortSignal: call.deadline.signal() });

  const conditionally = async (write: () => Promise<unknown>): Promise<SaveOutcome> => {
    try {
      await write();
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  };

  /** Deletes the tables an older snapshot listed that this one does not (or that it split differently). */
  const removeOlderTables = async (connection: CachedConnection, kept: Set<string>, call: Call) => {
    const older: { pk: string; sk: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: '#version < :version',
          ProjectionExpression: 'pk, sk',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':pk': key(connection).pk,
            ':prefix': tablePrefix(connection.id),
            ':version': versionOf(connection),
          },
          ExclusiveStartKey: start,
        }),
        bounded(call),
      );
      older.push(...((page.Items ?? []) as { pk: string; sk: string }[]).filter((item) => !kept.has(item.sk)));
      start = page.LastEvaluatedKey;
    } while (start);
    await inParallel(older, WRITE_CONCURRENCY, async (item) => {
      await conditionally(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: item,
            ConditionExpression: '#version < :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': versionOf(connection) },
          }),
          bounded(call),
        ),
      );
    });
  };

  return {
    async findConnection(id, call) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { pk: partitionKey(call.tenantId), sk: connectionSortKey(id) } }),
        bounded(call),
      );
      return Item ? cachedConnectionOf(Item as ConnectionItem) : undefined;
    },

    saveConnection(connection, call) {
      const attributes = connectionAttributes(connection);
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = {
        ':now': new Date().toISOString(),
        ':discovered': connection.schemaDiscovered,
        ':version': attributes.version,
      };
      const set: string[] = [
        'updatedAt = :now',
        'createdAt = if_not_exists(createdAt, :now)',
        'schemaDiscovered = if_not_exists(schemaDiscovered, :discovered)',
      ];
      const remove: string[] = [];
      Object.entries(attributes).forEach(([name, value], index) => {
        names[`#a${index}`] = name;
        if (value === undefined) remove.push(`#a${index}`);
        else {
          set.push(`#a${index} = :a${index}`);
          values[`:a${index}`] = value;
        }
      });
      return conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(connection),
            UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
            ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
          bounded(call),
        ),
      );
    },

    async saveSchema(connection, tables: DiscoveredTable[], call) {
      const version = versionOf(connection);
      const items = tableItems(key(connection), connection.id, tables, version);
      let stale = false;
      // Each table item is conditional too: an older snapshot never overwrites a newer one.
      await inParallel(items, WRITE_CONCURRENCY, async (item) => {
        const outcome = await conditionally(() =>
          client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(sk) OR #version <= :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': version },
            }),
            bounded(call),
          ),
        );
        stale ||= outcome === 'stale';
      });
      if (stale) return 'stale';
      await removeOlderTables(connection, new Set(items.map((item) => item.sk)), call);
      return conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(connection),
            UpdateExpression: 'SET schemaDiscovered = :true, updatedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND #version <= :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':true': true, ':now': new Date().toISOString(), ':version': version },
          }),
          bounded(call),
        ),
      );
    },
  };
};
