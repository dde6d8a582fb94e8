import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './service-name.ts';

let loaded: Promise<Tracer | undefined> | undefined;

/**
 * X-Ray subsegments for the DynamoDB client and the Fetcher calls (fetch is instrumented through
 * undici's diagnostics channel). Off outside Lambda. Handler responses and errors are never captured
 * (captureResponse: false, and the stack sets POWERTOOLS_TRACER_CAPTURE_ERROR=false). The fetch and
 * SDK subsegments do record a failed call's error name and message ("fetch failed", a timeout, a
 * DynamoDB exception), which carry no request body and so no secret; no body is ever recorded.
 *
 * One tracer per process, imported only when tracing may be on: aws-xray-sdk-core is the heaviest
 * module a function loads at cold start. With POWERTOOLS_TRACE_ENABLED=false Powertools would trace
 * nothing, so it is not loaded at all.
 */
export const loadTracer = (traceEnabled: string | undefined): Promise<Tracer | undefined> =>
  (loaded ??=
    traceEnabled?.toLowerCase() === 'false'
      ? Promise.resolve(undefined)
      : import('@aws-lambda-powertools/tracer').then(
          ({ Tracer: PowertoolsTracer }) => new PowertoolsTracer({ serviceName: SERVICE_NAME }),
        ));
