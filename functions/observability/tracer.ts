import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './metric-names.ts';

/**
 * X-Ray subsegments for the DynamoDB client and the Fetcher calls (fetch is instrumented through
 * undici's diagnostics channel). Off outside Lambda. Responses are never captured (the middleware is
 * given captureResponse: false) and the stack sets POWERTOOLS_TRACER_CAPTURE_ERROR=false, so a
 * trace only ever flags an error, never records its message.
 */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
