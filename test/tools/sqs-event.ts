import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

export interface SqsMessage {
  messageId?: string;
  body: string;
}

/** The queue's ARN from its URL (https://sqs.<region>.amazonaws.com/<account>/<name>, or the local queue's). */
const arnOf = (queueUrl: string, region: string) => {
  const [account = '000000000000', name = 'matcher-discovery-sync'] = new URL(queueUrl).pathname.split('/').filter(Boolean);
  return `arn:aws:sqs:${region}:${account}:${name}`;
};

/**
 * The event Lambda's SQS event source hands the sync worker for a batch of messages, in the shape
 * `sam local generate-event sqs receive-message` writes.
 */
export const sqsEventOf = (messages: readonly SqsMessage[], queueUrl: string, region = 'us-east-1'): SQSEvent => ({
  Records: messages.map(({ messageId = randomUUID(), body }): SQSRecord => ({
    messageId,
    receiptHandle: `local-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: arnOf(queueUrl, region),
    awsRegion: region,
  })),
});

/** One sync message per tenant, as the dispatcher and the refresh route send them. */
export const syncMessages = (tenantIds: readonly string[]): SqsMessage[] =>
  tenantIds.map((tenantId) => ({ body: JSON.stringify({ tenantId }) }));
