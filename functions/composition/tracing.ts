import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import { loadTracer } from '../observability/tracer.ts';
import { part, type Container } from './container.ts';

/** The tracer, or none when POWERTOOLS_TRACE_ENABLED=false (the stack's `tracing: false`). */
export const tracer = part(async (container) => loadTracer(container.env.POWERTOOLS_TRACE_ENABLED));

/** The handler's segment, without its response; no middleware at all when tracing is off. */
export const traceHandler = async <E, R>(container: Container): Promise<MiddlewareObj<E, R>[]> => {
  const loaded = await tracer(container);
  return loaded ? [captureLambdaHandler(loaded, { captureResponse: false })] : [];
};
