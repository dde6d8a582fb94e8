import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionCache, SaveOutcome } from '../../discovery/cache-ports.ts';
import { inParallel } from '../../discovery/in-parallel.ts';
import { connectionAttributes, connectionSortKey, partitionKey } from './connection-item.ts';
import { MAX_TRANSACT_ACTIONS, transactWrite } from './transact-write.ts';

const FALLBACK_CONCURRENCY = 8;

/**
 * Connections the caller found uncached (a tenant's first sync finds thousands), written a hundred to
 * a request: each put only if its item is still absent. If any was cached meanwhile (a create, or a
 * delete's tombstone), DynamoDB cancels the whole request and these connections are saved one by
 * one, as `saveConnection` would, each with its own outcome.
 */
export const newConnectionWriter = (
  client: DynamoDBDocumentClient,
  tableName: string,
  saveConnection: ConnectionCache['saveConnection'],
): Pick<ConnectionCache, 'saveNewConnections'> => ({
  async saveNewConnections(connections, observedAt, call) {
    const outcomes: SaveOutcome[] = [];
    for (let start = 0; start < connections.length; start += MAX_TRANSACT_ACTIONS) {
      const group = connections.slice(start, start + MAX_TRANSACT_ACTIONS);
      const now = new Date().toISOString();
      const written = await transactWrite(
        client,
        group.map((connection) => ({
          Put: {
            TableName: tableName,
            Item: {
              pk: partitionKey(connection.tenantId),
              sk: connectionSortKey(connection.id),
              ...connectionAttributes(connection, observedAt),
              schemaDiscovered: false,
              createdAt: now,
              updatedAt: now,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
        call.deadline,
      );
      if (written) {
        outcomes.push(...group.map((): SaveOutcome => 'created'));
        continue;
      }
      const each: SaveOutcome[] = [];
      await inParallel(
        group.map((connection, index) => ({ connection, index })),
        FALLBACK_CONCURRENCY,
        async ({ connection, index }) => {
          each[index] = await saveConnection(connection, observedAt, call);
        },
      );
      outcomes.push(...each);
    }
    return outcomes;
  },
});
