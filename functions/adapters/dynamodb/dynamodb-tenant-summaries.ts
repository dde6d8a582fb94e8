import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunOutcome, TenantSummaries, TenantSummary } from '../../discovery/cache-ports.ts';
import { partitionKey } from './connection-item.ts';

const SUMMARY = 'SUMMARY';

interface SummaryItem {
  connectionCount?: number;
  lastListedAt?: string;
  lastSyncAt?: string;
  runStartedAt?: string;
  runFinishedAt?: string;
  runOutcome?: RunOutcome;
  runConnectionsSynced?: number;
}

const dateOf = (value: string | undefined) => (value ? new Date(value) : undefined);

/** One item per tenant (sk = SUMMARY): the count, the last complete listing and the last run. */
export const createTenantSummaries = (client: DynamoDBDocumentClient, tableName: string): TenantSummaries => ({
  async read(call) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: partitionKey(call.tenantId), sk: SUMMARY } }), {
      abortSignal: call.deadline.signal(),
    });
    const item = (Item ?? {}) as SummaryItem;
    const summary: TenantSummary = { connectionCount: Math.max(0, item.connectionCount ?? 0) };
    if (item.lastListedAt) summary.lastListedAt = new Date(item.lastListedAt);
    if (item.lastSyncAt) summary.lastSyncAt = new Date(item.lastSyncAt);
    if (item.runStartedAt && item.runFinishedAt && item.runOutcome) {
      summary.lastRun = {
        startedAt: dateOf(item.runStartedAt)!,
        finishedAt: dateOf(item.runFinishedAt)!,
        outcome: item.runOutcome,
        connectionsSynced: item.runConnectionsSynced ?? 0,
      };
    }
    return summary;
  },

  async adjustCount(delta, call) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: partitionKey(call.tenantId), sk: SUMMARY },
        UpdateExpression: 'ADD connectionCount :delta',
        ExpressionAttributeValues: { ':delta': delta },
      }),
      { abortSignal: call.deadline.signal() },
    );
  },

  async recordRun(run, listing, call) {
    const values: Record<string, unknown> = {
      ':started': run.startedAt.toISOString(),
      ':finished': run.finishedAt.toISOString(),
      ':outcome': run.outcome,
      ':synced': run.connectionsSynced,
    };
    const set = ['runStartedAt = :started', 'runFinishedAt = :finished', 'runOutcome = :outcome', 'runConnectionsSynced = :synced'];
    if (listing) {
      set.push('connectionCount = :count', 'lastListedAt = :listed', 'lastSyncAt = :finished');
      values[':count'] = listing.connectionCount;
      values[':listed'] = listing.listedAt.toISOString();
    }
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: partitionKey(call.tenantId), sk: SUMMARY },
        UpdateExpression: `SET ${set.join(', ')}`,
        ExpressionAttributeValues: values,
      }),
      { abortSignal: call.deadline.signal() },
    );
  },
});
