import type { LambdaFunction } from '../../functions/lambda-functions.ts';

/**
 * Grants no test can exercise, each with the reason: made by AWS on the function's behalf, by the
 * Lambda runtime, or on a fallback no emulator reaches. Anything else a role allows must be used by
 * a recorded call of the integration tests.
 */
export interface UnexercisedGrant {
  actions: readonly string[];
  /** Which functions it is expected for. */
  appliesTo: (fn: LambdaFunction) => boolean;
  /** Only on the resource this variable of the function's environment names (its ARN as deployed). */
  variable?: string;
  reason: string;
}

export const UNEXERCISED_GRANTS: readonly UnexercisedGrant[] = [
  {
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    appliesTo: () => true,
    reason: 'the Lambda runtime writes the function log group; the code only writes to stdout',
  },
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    appliesTo: () => true,
    reason: 'active tracing: the Lambda X-Ray daemon sends the segments the tracer emits over UDP',
  },
  {
    actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'],
    appliesTo: (fn) => fn.trigger === 'queue',
    reason: "the SQS event source mapping polls, deletes and re-hides messages with the worker's role; the worker only returns failures",
  },
  {
    actions: ['dynamodb:GetItem'],
    appliesTo: (fn) => fn.tables.idempotency !== undefined,
    variable: 'IDEMPOTENCY_TABLE_NAME',
    reason:
      'Powertools idempotency reads a record with GetItem only when a refused conditional put comes back without the item; ' +
      'DynamoDB (and DynamoDB Local) return it (ReturnValuesOnConditionCheckFailure), so no test reaches that fallback, ' +
      'and without the grant it would answer 500',
  },
];
