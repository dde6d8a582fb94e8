import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type * as z from 'zod';
import { MatcherError } from '../discovery/errors.ts';
import type { Call } from '../discovery/ports.ts';
import { authenticate, type Permission } from '../http/authenticate.ts';
import { compressResponse } from '../http/compress-response.ts';
import { conditionalGet } from '../http/conditional-get.ts';
import { logRequests } from '../http/log-requests.ts';
import { problemResponder } from '../http/problem-responder.ts';
import { publishMetrics } from '../http/publish-metrics.ts';
import { readIdempotencyKey } from '../http/read-idempotency-key.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { callOf, type HttpEvent, type HttpResult, type Principal, type RouteContext } from '../http/request-state.ts';
import { validateRequest } from '../http/validate-request.ts';
import { withholdSecrets } from '../http/withhold-secrets.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { authOptions, tokenVerifier } from './auth.ts';
import type { Container } from './container.ts';
import { requestOptions } from './request.ts';
import { traceHandler } from './tracing.ts';

/** What a route asks of a request before its use case runs. */
export interface RouteSpec<B, Q, P> {
  permission: Permission;
  /** A JSON body, validated (and normalised) by this schema. */
  body?: z.ZodType<B, unknown>;
  query?: z.ZodType<Q, unknown>;
  /** Query parameters whose value may be echoed in a field error. */
  queryEcho?: ReadonlySet<string>;
  path?: z.ZodType<P, unknown>;
  /** Honour Idempotency-Key with this middleware (composition/idempotency.ts): a replay answers what the first request answered. */
  idempotency?: MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext>;
}

/** What the use case is handed: the caller, the validated request, and the budget of its outbound calls. */
export interface RouteRequest<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  path: P;
  call: Call;
}

/**
 * Every route's HTTP pipeline, in one place: tracing, logging, metrics, authentication, validation of
 * what the route takes, idempotency when it asks for it, and problem+json for every error. A route
 * gives its spec and its use case; everything here is built once per container.
 */
export const httpRoute = async <B = undefined, Q = undefined, P = undefined>(
  container: Container,
  spec: RouteSpec<B, Q, P>,
  handle: (request: RouteRequest<B, Q, P>) => Promise<HttpResult>,
) => {
  const auth = await authOptions(container);
  const pipeline = middy<HttpEvent, HttpResult, Error, RouteContext>({
    // Every call is bounded 1 s before the Lambda's end; this catches anything that is not, early
    // enough for the error path (logs, metrics, trace) to finish.
    timeoutEarlyInMillis: 300,
    timeoutEarlyResponse: () => {
      throw new MatcherError('MTCH-0208', 'The request did not complete in time.');
    },
  })
    .use(await traceHandler(container))
    // Never the event: it carries the password and the token (POWERTOOLS_LOGGER_LOG_EVENT cannot turn it on).
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(metrics))
    .use(httpHeaderNormalizer())
    .use(logRequests(logger))
    // After-middlewares run last-attached first: the ETag is of the plain body, then it is compressed.
    .use(compressResponse())
    .use(conditionalGet())
    .use(authenticate(auth, await tokenVerifier(container), spec.permission));
  if (spec.path) pipeline.use(validateRequest('path', spec.path, new Set(['connectionId'])));
  if (spec.query) pipeline.use(validateRequest('query', spec.query, spec.queryEcho));
  if (spec.body) {
    if (spec.idempotency) pipeline.use(readIdempotencyKey());
    pipeline.use(readJsonBody({ maxBodyBytes: (await requestOptions(container)).maxBodyBytes }));
  }
  pipeline.use(withholdSecrets());
  if (spec.body) pipeline.use(validateRequest('body', spec.body));
  if (spec.idempotency) pipeline.use(spec.idempotency);
  return pipeline.use(problemResponder(logger, metrics)).handler(
    async (event, context) =>
      context.replay ??
      handle({
        principal: context.principal!,
        body: context.body as B,
        query: context.query as Q,
        path: context.path as P,
        call: callOf(event, context),
      }),
  );
};
