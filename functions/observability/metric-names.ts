/**
 * The service's custom metrics, as plain data: the function emits them and the CDK alarms watch them,
 * so a renamed metric cannot leave an alarm watching nothing.
 */

export const METRIC = {
  connectionsCreated: 'ConnectionsCreated',
  fetcherErrors: 'FetcherErrors',
  cacheWriteFailures: 'CacheWriteFailures',
  jwksFailures: 'JwksFailures',
} as const;

/** The dimension FetcherErrors is split by, and its values. */
export const FETCHER_ERROR_CLASS = 'ErrorClass';

export const FETCHER_ERROR_CLASSES = [
  /** No answer within FETCHER_TIMEOUT_MS or the Lambda's remaining time (504). */
  'timeout',
  /** Connection refused, DNS failure, network unreachable (503). */
  'unreachable',
  /** Fetcher answered 429 or 503 (503). */
  'busy',
  /** Our circuit breaker refused the call: Fetcher was failing moments ago (503). */
  'circuit_open',
  /** 5xx, 401/403 to us, a redirect, a body we cannot read (502). */
  'bad_gateway',
  /** Fetcher refused the request itself: duplicate name, invalid field, host refused, unknown id, busy, rate limited (4xx). */
  'rejected',
  /** Anything else: a bug rather than Fetcher. */
  'unknown',
] as const;

export type FetcherErrorClass = (typeof FETCHER_ERROR_CLASSES)[number];

/** The classes that say Fetcher (or the way to it) is unwell; the alarm sums these, not `rejected`. */
export const FETCHER_FAULT_CLASSES: readonly FetcherErrorClass[] = [
  'timeout',
  'unreachable',
  'busy',
  'circuit_open',
  'bad_gateway',
  'unknown',
];
