import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Deadline } from '../discovery/deadline.ts';
import type { Call } from '../discovery/ports.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Who is calling, as the verified token says. */
export interface Principal {
  subject: string | undefined;
  tenantId: string;
  scopes: ReadonlySet<string>;
}

/** What the HTTP middlewares learn about one request. */
export interface RequestState {
  principal?: Principal;
  /** The parsed JSON body, before validation. */
  json?: unknown;
  /** The validated body, query and path parameters. */
  body?: unknown;
  query?: unknown;
  path?: unknown;
  idempotencyKey?: string;
  /** The stored answer of an earlier request with the same Idempotency-Key: sent instead of running again. */
  replay?: HttpResult;
}

/** The Lambda context, carrying the request's state from middleware to middleware (Middy's way). */
export type RouteContext = Context & RequestState;

/** Time kept back from the Lambda's remaining time, so a late Fetcher answer still gets a response out. */
const LAMBDA_TIME_MARGIN_MS = 1_000;

export const requestIdOf = (event: HttpEvent): string => event.requestContext?.requestId ?? 'unknown';

/** The outbound calls of this request: its tenant, its id, and the Lambda's remaining time less a margin. */
export const callOf = (event: HttpEvent, context: RouteContext): Call => {
  const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  return { tenantId: context.principal!.tenantId, requestId: requestIdOf(event), deadline: Deadline.in(remaining - LAMBDA_TIME_MARGIN_MS) };
};
