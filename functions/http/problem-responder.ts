import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { errorFields } from '../observability/error-fields.ts';
import { METRIC } from '../observability/metric-names.ts';
import { asMatcherError, problemResponse, statusOf } from './problem.ts';
import { requestIdOf, type HttpEvent, type HttpResult, type RouteContext } from './request-state.ts';

/**
 * Renders every error as problem+json. Attached last so its onError runs first. Server-side failures
 * are logged by name and message only: no event, no body, no Fetcher text.
 */
export const problemResponder = (logger: Logger, metrics: Metrics): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  onError: (request) => {
    const error = asMatcherError(request.error);
    // MTCH-0008 is only ever the JWKS being unreachable: callers are turned away with a 503.
    if (error.code === 'MTCH-0008') metrics.addMetric(METRIC.jwksFailures, MetricUnit.Count, 1);
    if (statusOf(error.code) >= 500) {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      logger.error('request failed', {
        code: error.code,
        detail: error.detail,
        ...(cause ? { cause: errorFields(cause) } : {}),
      });
    }
    request.response = problemResponse(error, requestIdOf(request.event));
  },
});
