import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CachedConnection, DiscoveredTable } from '../discovery/connection.ts';
import type { ConnectionCache, SaveOutcome } from '../discovery/ports.ts';
import { tableItems } from './table-items.ts';

export const partitionKey = (tenantId: string) => `TENANT#${tenantId}`;
export const connectionSortKey = (id: string) => `CONN#${id}`;

const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 5;
const BATCH_CONCURRENCY = 4;

// Observations are ordered by when they were made; a write never replaces a newer one.
const versionOf = (c: CachedConnection) => c.lastSeenAt.getTime();

/**
 * The cached attributes, picked one by one: the item is built from this allow-list and nothing else,
 * so a password cannot reach the table whatever the connection object carries.
 */
const connectionAttributes = (c: CachedConnection) => ({
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

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createConnectionCache = (client: DynamoDBDocumentClient, tableName: string): ConnectionCache => {
  const key = (c: CachedConnection) => ({ pk: partitionKey(c.tenantId), sk: connectionSortKey(c.id) });

  const conditional = async (command: UpdateCommand): Promise<SaveOutcome> => {
    try {
      await client.send(command);
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  };

  const writeBatch = async (items: Record<string, unknown>[]) => {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} table items unprocessed`);
      if (attempt > 0) await sleep(25 * 2 ** attempt);
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  };

  return {
    saveConnection(connection) {
      const attributes = connectionAttributes(connection);
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':now': new Date().toISOString(), ':discovered': connection.schemaDiscovered };
      const set: string[] = ['updatedAt = :now', 'createdAt = if_not_exists(createdAt, :now)', 'schemaDiscovered = if_not_exists(schemaDiscovered, :discovered)'];
      const remove: string[] = [];
      Object.entries(attributes).forEach(([name, value], index) => {
        names[`#a${index}`] = name;
        if (value === undefined) remove.push(`#a${index}`);
        else {
          set.push(`#a${index} = :a${index}`);
          values[`:a${index}`] = value;
        }
      });
      names['#version'] = 'version';
      return conditional(
        new UpdateCommand({
          TableName: tableName,
          Key: key(connection),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':version': attributes.version },
        }),
      );
    },

    async saveSchema(connection, tables: DiscoveredTable[]) {
      const items = tableItems(key(connection), connection.id, tables, versionOf(connection));
      const batches = [];
      for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
      for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
        await Promise.all(batches.slice(i, i + BATCH_CONCURRENCY).map(writeBatch));
      }
      return conditional(
        new UpdateCommand({
          TableName: tableName,
          Key: key(connection),
          UpdateExpression: 'SET schemaDiscovered = :true, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND #version <= :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':true': true, ':now': new Date().toISOString(), ':version': versionOf(connection) },
        }),
      );
    },
  };
};
