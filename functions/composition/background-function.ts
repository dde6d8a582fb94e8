import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { publishMetrics } from '../http/publish-metrics.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import type { Container } from './container.ts';
import { traceHandler } from './tracing.ts';

/** A function no HTTP request reaches (the scheduled dispatcher, the queue's sync worker): traced, logged, metered. */
export const backgroundFunction = async <E, R>(container: Container, handle: (event: E, context: Context) => Promise<R>) =>
  middy<E, R>()
    .use(await traceHandler<E, R>(container))
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(publishMetrics(metrics))
    .handler(handle);
