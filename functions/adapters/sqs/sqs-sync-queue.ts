import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SyncQueue } from '../../discovery/cache-ports.ts';

export interface SyncQueueOptions {
  queueUrl: string;
  region: string;
  localCredentials: boolean;
}

// SQS's own limit per SendMessageBatch.
const BATCH_SIZE = 10;

/** The sync queue on SQS: one message per tenant, `{"tenantId": ...}`, sent ten to a request. */
export const createSyncQueue = ({ queueUrl, region, localCredentials }: SyncQueueOptions): SyncQueue => {
  const client = new SQSClient({
    region,
    maxAttempts: 3,
    ...(localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return {
    async enqueue(tenantIds, call) {
      for (let start = 0; start < tenantIds.length; start += BATCH_SIZE) {
        const batch = tenantIds.slice(start, start + BATCH_SIZE);
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((tenantId, index) => ({ Id: String(index), MessageBody: JSON.stringify({ tenantId }) })),
          }),
          { abortSignal: call.deadline.signal() },
        );
        if (Failed.length > 0) throw new Error(`the sync queue refused ${Failed.length} of ${batch.length} messages (${Failed[0]?.Code})`);
      }
    },
  };
};
