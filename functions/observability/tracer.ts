import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './service-name.ts';

/**
 * X-Ray subsegments for the DynamoDB client and the Fetcher calls (fetch is instrumented through
 * undici's diagnostics channel). Off outside Lambda. Handler responses and errors are never captured
 * (captureResponse: false, and the stack sets POWERTOOLS_TRACER_CAPTURE_ERROR=false). The fetch and
 * SDK subsegments do record a failed call's error name and message ("fetch failed", a timeout, a
 * DynamoDB exception), which carry no request body and so no secret; no body is ever recorded.
 */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
