import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CircuitOpen } from './circuit-breaker.ts';
import { FetcherFailure } from './transport-failure.ts';
import { MatcherError } from '../../discovery/errors.ts';
import type { FetcherPort } from '../../discovery/ports.ts';
import { FETCHER_ERROR_CLASS, METRIC, type FetcherErrorClass } from '../../observability/metric-names.ts';

/** Which kind of Fetcher failure an error is, from the catalogue code the Fetcher client gave it. */
export const fetcherErrorClass = (error: unknown): FetcherErrorClass => {
  if (!(error instanceof MatcherError)) return 'unknown';
  switch (error.code) {
    case 'MTCH-0208':
      return 'timeout';
    // Refused by our own breaker, never reached Fetcher, or Fetcher answered 429/503.
    case 'MTCH-0203':
      return error instanceof CircuitOpen ? 'circuit_open' : error instanceof FetcherFailure ? 'unreachable' : 'busy';
    case 'MTCH-0207':
      return 'bad_gateway';
    case 'MTCH-0005':
    case 'MTCH-0201':
    case 'MTCH-0206':
    case 'MTCH-0209':
    case 'MTCH-0210':
    case 'MTCH-0211':
      return 'rejected';
    default:
      return 'unknown';
  }
};

/**
 * The FetcherPort, counting each failed create in FetcherErrors by class; errors pass through
 * unchanged. Schema reads are best effort and fail most often because the customer's database is
 * down, which says nothing about Fetcher: they are logged, not counted.
 */
export const meteredFetcher = (fetcher: FetcherPort, metrics: Metrics): FetcherPort => {
  const counted = (error: unknown): never => {
    // A single-metric line, so the class dimension never rides on the request's other metrics.
    metrics.singleMetric().addDimension(FETCHER_ERROR_CLASS, fetcherErrorClass(error)).addMetric(METRIC.fetcherErrors, MetricUnit.Count, 1);
    throw error;
  };
  return {
    createConnection: (input, call) => fetcher.createConnection(input, call).catch(counted),
    getSchema: (fetcherConnectionId, call) => fetcher.getSchema(fetcherConnectionId, call),
    listConnections: (query, call) => fetcher.listConnections(query, call).catch(counted),
    isHealthy: (call) => fetcher.isHealthy(call),
    getConnection: (fetcherConnectionId, call) => fetcher.getConnection(fetcherConnectionId, call).catch(counted),
    updateConnection: (fetcherConnectionId, changes, call) => fetcher.updateConnection(fetcherConnectionId, changes, call).catch(counted),
    deleteConnection: (fetcherConnectionId, call) => fetcher.deleteConnection(fetcherConnectionId, call).catch(counted),
    testConnection: (fetcherConnectionId, call) => fetcher.testConnection(fetcherConnectionId, call).catch(counted),
  };
};
