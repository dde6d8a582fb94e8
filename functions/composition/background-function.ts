import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { publishMetrics } from '../http/publish-metrics.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { tracer } from '../observability/tracer.ts';

/** A function no HTTP request reaches (the scheduled dispatcher, the queue's sync worker): traced, logged, metered. */
export const backgroundFunction = <E, R>(handle: (event: E, context: Context) => Promise<R>) =>
  middy<E, R>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(metrics))
    .handler(handle);
