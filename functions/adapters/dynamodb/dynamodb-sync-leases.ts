import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SyncLeases } from '../../discovery/cache-ports.ts';
import { conditionally, isConditionFailure } from './conditional-write.ts';
import { partitionKey } from './connection-item.ts';

const LEASE = 'LEASE#SYNC';

interface LeaseItem {
  owner: string;
  startedAt: string;
  expiresAtMs: number;
}

/**
 * A lease item per tenant (sk = LEASE#SYNC): taken by a conditional put when absent or expired, held by
 * an owner token, extended by its owner, released by a delete conditional on that owner. A run that
 * crashed stops blocking the next one when its lease expires.
 */
export const createSyncLeases = (client: DynamoDBDocumentClient, tableName: string, now: () => number = Date.now): SyncLeases => {
  const key = (tenantId: string) => ({ pk: partitionKey(tenantId), sk: LEASE });
  return {
    async acquire(owner, ttlMs, call) {
      const at = now();
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(call.tenantId), owner, startedAt: new Date(at).toISOString(), expiresAtMs: at + ttlMs },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
            ExpressionAttributeValues: { ':now': at },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          { abortSignal: call.deadline.signal() },
        );
        return { acquired: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const held = (error as { Item?: Record<string, { N?: string }> }).Item?.expiresAtMs?.N;
        return { acquired: false, heldUntil: new Date(held ? Number(held) : at + ttlMs) };
      }
    },

    renew: (owner, ttlMs, call) =>
      conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(call.tenantId),
            UpdateExpression: 'SET expiresAtMs = :expires',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':expires': now() + ttlMs, ':owner': owner },
          }),
          { abortSignal: call.deadline.signal() },
        ),
      ),

    async release(owner, call) {
      await conditionally(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: key(call.tenantId),
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
          { abortSignal: call.deadline.signal() },
        ),
      );
    },

    async current(call) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key(call.tenantId) }), {
        abortSignal: call.deadline.signal(),
      });
      const lease = Item as LeaseItem | undefined;
      if (!lease || lease.expiresAtMs < now()) return undefined;
      return { startedAt: new Date(lease.startedAt), expiresAt: new Date(lease.expiresAtMs) };
    },
  };
};
