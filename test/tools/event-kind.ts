/** Which kind of function an event is for: a route's (API Gateway), the dispatcher's (a schedule) or the worker's (SQS). */
export type EventKind = 'http' | 'schedule' | 'queue';

/**
 * Tells an event's kind by its shape, as `sam local generate-event` writes each: SQS records
 * (`eventSource: aws:sqs`), a scheduled event (`detail-type: Scheduled Event`, or the input the
 * stack's schedule sends), or an HTTP API payload 2.0 event (`version: 2.0`).
 */
export const kindOfEvent = (event: unknown): EventKind | undefined => {
  if (typeof event !== 'object' || event === null) return undefined;
  const fields = event as Record<string, unknown>;
  const records = fields.Records;
  if (Array.isArray(records) && records.length > 0 && records.every((r) => (r as { eventSource?: unknown })?.eventSource === 'aws:sqs'))
    return 'queue';
  if (fields['detail-type'] === 'Scheduled Event' || fields.source === 'matcher-discovery-schedule') return 'schedule';
  if (fields.version === '2.0') return 'http';
  return undefined;
};
