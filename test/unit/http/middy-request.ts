import type { MiddlewareObj, Request } from '@middy/core';
import { MatcherError } from '../../../functions/discovery/errors.ts';
import { problemResponse } from '../../../functions/http/problem.ts';
import type { HttpEvent, HttpResult, RouteContext } from '../../../functions/http/request-state.ts';

export type RouteRequest = Request<HttpEvent, HttpResult, Error, RouteContext>;
export type RouteMiddleware = MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext>;

/** An HTTP API (payload 2.0) event with lower-case headers, as httpHeaderNormalizer leaves them. */
export const httpEvent = (overrides: Partial<HttpEvent> = {}): HttpEvent => ({
  version: '2.0',
  routeKey: 'POST /v1/discovery/connections',
  rawPath: '/v1/discovery/connections',
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'example.com',
    domainPrefix: 'example',
    http: { method: 'POST', path: '/v1/discovery/connections', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
    requestId: 'req-1',
    routeKey: 'POST /v1/discovery/connections',
    stage: '$default',
    time: '01/Jan/2026:00:00:00 +0000',
    timeEpoch: 1_767_225_600_000,
  },
  ...overrides,
});

/** A Lambda context with `remainingMs` left, plus whatever request state a test starts from. */
export const routeContext = (state: Partial<RouteContext> = {}, remainingMs = 10_000): RouteContext => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'create-connection',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:create-connection',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-req-1',
  logGroupName: '/aws/lambda/create-connection',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  ...state,
});

/** The `request` Middy hands every middleware: `{ event, context, response, error, internal }`. */
export const middyRequest = ({
  event = {},
  context = {},
  response,
  error,
}: {
  event?: Partial<HttpEvent>;
  context?: Partial<RouteContext>;
  response?: HttpResult;
  error?: Error;
} = {}): RouteRequest => ({ event: httpEvent(event), context: routeContext(context), response, error, internal: {} });

/** A request whose headers are exactly these (lower-case names). */
export const withHeaders = (headers: Record<string, string>, context: Partial<RouteContext> = {}): RouteRequest =>
  middyRequest({ event: { headers }, context });

/** Runs one phase of a middleware, failing the test if the middleware has no such phase. */
export const run = async (middleware: RouteMiddleware, phase: 'before' | 'after' | 'onError', request: RouteRequest): Promise<unknown> => {
  const fn = middleware[phase];
  if (!fn) throw new Error(`the middleware has no ${phase}`);
  return (await fn(request)) as unknown;
};

/** What the phase threw (a test fails if it threw nothing). */
export const rejection = async (middleware: RouteMiddleware, phase: 'before' | 'after' | 'onError', request: RouteRequest) => {
  try {
    await run(middleware, phase, request);
  } catch (error) {
    return error;
  }
  throw new Error(`${phase} threw nothing`);
};

/** How the service would answer an error a middleware threw: its status, code, detail and headers. */
export const answerOf = (error: unknown) => {
  if (!(error instanceof MatcherError)) throw new Error(`expected a MatcherError, got ${String(error)}`);
  const response = problemResponse(error, 'req-1');
  const problem = JSON.parse(response.body!) as { status: number; code: string; detail: string; errors?: unknown[] };
  return { status: response.statusCode, code: problem.code, detail: problem.detail, errors: problem.errors, headers: response.headers };
};
