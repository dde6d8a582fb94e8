import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunOutcome, TenantSummaries, TenantSummary } from '../../discovery/cache-ports.ts';
import { conditionally } from './conditional-write.ts';
import { partitionKey } from './connection-item.ts';

const SUMMARY = 'SUMMARY';

interface SummaryItem {
  connectionCount?: number;
  countRevision?: number;
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
    const summary: TenantSummary = { connectionCount: Math.max(0, item.connectionCount ?? 0), countRevision: item.countRevision ?? 0 };
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
        UpdateExpression: 'ADD connectionCount :delta, countRevision :one',
        ExpressionAttributeValues: { ':delta': delta, ':one': 1 },
      }),
      { abortSignal: call.deadline.signal() },
    );
  },

  async recordRun(run, count, call) {
    const key = { pk: partitionKey(call.tenantId), sk: SUMMARY };
    const values: Record<string, unknown> = {
      ':started': run.startedAt.toISOString(),
      ':finished': run.finishedAt.toISOString(),
      ':outcome': run.outcome,
      ':synced': run.connectionsSynced,
    };
    const set = ['runStartedAt = :started', 'runFinishedAt = :finished', 'runOutcome = :outcome', 'runConnectionsSynced = :synced'];
    const update = (expression: string, extra: Record<string, unknown> = {}, condition?: string) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: expression,
          ExpressionAttributeValues: { ...values, ...extra },
          ...(condition ? { ConditionExpression: condition } : {}),
        }),
        { abortSignal: call.deadline.signal() },
      );
    if (!count) return void (await update(`SET ${set.join(', ')}`));

    set.push('lastListedAt = :listed', 'lastSyncAt = :finished');
    values[':listed'] = count.listedAt.toISOString();
    // The recount, unless a create or delete adjusted the count after the run read it: then theirs plus the run's own creates.
    const recounted = await conditionally(() =>
      update(
        `SET ${[...set, 'connectionCount = :count'].join(', ')}`,
        { ':count': count.connectionCount, ':revision': count.countRevision },
        count.countRevision === 0 ? 'attribute_not_exists(countRevision) OR countRevision = :revision' : 'countRevision = :revision',
      ),
    );
    if (!recounted) await update(`SET ${set.join(', ')} ADD connectionCount :created`, { ':created': count.created });
  },
});
