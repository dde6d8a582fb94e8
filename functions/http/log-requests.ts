import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { requestIdOf, type RouteContext, type HttpEvent, type HttpResult } from './request-state.ts';

/** One access line per request: route, status, error code and duration. Never the event or the body. */
export const logRequests = (logger: Logger): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => {
  const started = new WeakMap<object, number>();
  const done = (request: { event: HttpEvent; context: RouteContext; response?: HttpResult | null | undefined }) => {
    const status = request.response?.statusCode ?? 500;
    logger.info('request completed', {
      requestId: requestIdOf(request.event),
      route: request.event.routeKey,
      status,
      durationMs: Date.now() - (started.get(request.context) ?? Date.now()),
      ...(request.context.principal ? { tenantId: request.context.principal.tenantId } : {}),
    });
  };
  return {
    before: (request) => {
      started.set(request.context, Date.now());
    },
    after: done,
    onError: done,
  };
};
