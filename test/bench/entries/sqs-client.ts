import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

// The floor of a function that only sends to SQS.
const sqs = new SQSClient({ maxAttempts: 3 });

export const handler = async (entries: { Id: string; MessageBody: string }[]) =>
  sqs.send(new SendMessageBatchCommand({ QueueUrl: process.env.SYNC_QUEUE_URL, Entries: entries }));
