import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Deadline } from '../../discovery/deadline.ts';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

// DynamoDB's own limit per BatchWriteItem.
const BATCH_SIZE = 25;
const BACKOFF_MS = 50;

/**
 * Puts and deletes in batches of 25, one request per batch: the cheap way to store many items that
 * need no condition. Items DynamoDB leaves unprocessed (throttling) are sent again with backoff,
 * never past the deadline.
 */
export const batchWrite = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  deadline: Deadline,
): Promise<void> => {
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    let pending = requests.slice(start, start + BATCH_SIZE);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(Math.min(deadline.remainingMs(), BACKOFF_MS * 2 ** attempt));
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }), {
        abortSignal: deadline.signal(),
      });
      pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
};
