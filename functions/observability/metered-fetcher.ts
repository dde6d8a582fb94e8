import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { MatcherError } from '../discovery/errors.ts';
import type { FetcherPort } from '../discovery/ports.ts';
import { FETCHER_ERROR_CLASS, METRIC, type FetcherErrorClass } from './metric-names.ts';

/** Which kind of Fetcher failure an error is, from the catalogue code the Fetcher client gave it. */
export const fetcherErrorClass = (error: unknown): FetcherErrorClass => {
  if (!(error instanceof MatcherError)) return 'unknown';
  switch (error.code) {
    case 'MTCH-0208':
      return 'timeout';
    // The transport sets a cause (ECONNREFUSED, ENOTFOUND...); a 429/503 answer has none.
    case 'MTCH-0203':
      return error.cause === undefined ? 'busy' : 'unreachable';
    case 'MTCH-0207':
      return 'bad_gateway';
    case 'MTCH-0005':
    case 'MTCH-0206':
    case 'MTCH-0209':
      return 'rejected';
    default:
      return 'unknown';
  }
};

/** The FetcherPort, counting each failure in FetcherErrors by class; errors pass through unchanged. */
export const meteredFetcher = (fetcher: FetcherPort, metrics: Metrics): FetcherPort => {
  const counted = (error: unknown): never => {
    // A single-metric line, so the class dimension never rides on the request's other metrics.
    metrics.singleMetric().addDimension(FETCHER_ERROR_CLASS, fetcherErrorClass(error)).addMetric(METRIC.fetcherErrors, MetricUnit.Count, 1);
    throw error;
  };
  return {
    createConnection: (input, call) => fetcher.createConnection(input, call).catch(counted),
    getSchema: (fetcherConnectionId, call) => fetcher.getSchema(fetcherConnectionId, call).catch(counted),
  };
};
