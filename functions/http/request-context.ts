import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ConnectionRequest } from '../discovery/connection.ts';
import type { CallContext } from '../discovery/ports.ts';

/** Who is calling, as the verified token says. */
export interface Principal {
  subject: string | undefined;
  tenantId: string;
  scopes: ReadonlySet<string>;
}

/** What the HTTP middlewares learn about a request, carried on the Lambda context. */
export interface DiscoveryContext extends Context {
  principal?: Principal;
  /** The parsed JSON body, before validation. */
  json?: unknown;
  input?: ConnectionRequest;
  idempotencyKey?: string;
}

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Time kept back from the Lambda's remaining time, so a late Fetcher answer still gets a response out. */
const LAMBDA_TIME_MARGIN_MS = 1_000;

export const requestIdOf = (event: HttpEvent): string => event.requestContext?.requestId ?? 'unknown';

export const callContextOf = (event: HttpEvent, context: Context): CallContext => {
  const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Number.POSITIVE_INFINITY;
  return { requestId: requestIdOf(event), deadline: Date.now() + remaining - LAMBDA_TIME_MARGIN_MS };
};
