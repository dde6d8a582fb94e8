import type { MiddlewareObj } from '@middy/core';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/**
 * Publishes the request's metrics as one EMF line, and ColdStart once per container. Powertools'
 * logMetrics does the same but warns on every request that recorded nothing, i.e. on every 4xx.
 */
export const publishMetrics = <E, R>(metrics: Metrics): MiddlewareObj<E, R, Error, Context> => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      metrics.captureColdStartMetric(request.context.functionName);
    },
    after: publish,
    onError: publish,
  };
};
