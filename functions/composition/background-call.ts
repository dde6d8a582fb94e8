import type { Context } from 'aws-lambda';
import type { Call } from '../discovery/call.ts';
import { Deadline } from '../discovery/deadline.ts';

// Kept back from the Lambda's remaining time, so the function reports before it is cut off.
const MARGIN_MS = 2_000;

/** The outbound calls of one piece of background work: its tenant, its id, and the Lambda's remaining time. */
export const backgroundCall = (tenantId: string, requestId: string, context: Context): Call => ({
  tenantId,
  requestId,
  deadline: Deadline.in(context.getRemainingTimeInMillis() - MARGIN_MS),
});
