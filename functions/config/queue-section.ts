import * as z from 'zod';
import type { SyncQueueOptions } from '../adapters/sqs/sqs-sync-queue.ts';
import { httpUrl } from './environment.ts';
import { defineSection } from './section.ts';

const schema = z.object({
  SYNC_QUEUE_URL: httpUrl,
  AWS_REGION: z.string().trim().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
});

/** The queue tenants' syncs are handed to. */
export const queueSection = defineSection({
  schema,
  build: (e): SyncQueueOptions => {
    // A loopback queue (the local harness) with no AWS credentials around: the local queue takes any.
    const local = ['127.0.0.1', 'localhost'].includes(new URL(e.SYNC_QUEUE_URL).hostname) && !e.AWS_ACCESS_KEY_ID;
    return { queueUrl: e.SYNC_QUEUE_URL, region: e.AWS_REGION, localCredentials: local };
  },
});
