import { MatcherError, type ErrorCode } from '../../discovery/errors.ts';

export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * A call to Fetcher that got no usable answer. `mayHaveArrived` says whether Fetcher may have
 * received and acted on the request anyway (a timeout, a connection cut after sending), which is
 * when a create's outcome is unknown and must be looked up rather than assumed.
 */
export class FetcherFailure extends MatcherError {
  readonly mayHaveArrived: boolean;

  constructor(code: ErrorCode, detail: string, mayHaveArrived: boolean, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(code, detail, options);
    this.name = 'FetcherFailure';
    this.mayHaveArrived = mayHaveArrived;
  }
}

// Failures to open a connection: nothing was sent.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
// TLS refused the peer before any byte of the request left: nothing was sent.
const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/;

const causeOf = (error: unknown) => (error as { cause?: { code?: unknown; message?: unknown; errors?: { code?: unknown }[] } }).cause;

const causeCode = (error: unknown): string => {
  const cause = causeOf(error);
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : '';
};

const isTimeout = (error: unknown): boolean => error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

/**
 * A fetch failure in the catalogue's terms: never Fetcher's text, never our request body. `acts` is
 * false for requests that change nothing in Fetcher, whose outcome therefore never needs a lookup.
 */
export const transportFailure = (error: unknown, what: string, acts = true): MatcherError => {
  if (error instanceof MatcherError) return error;
  if (isTimeout(error)) return new FetcherFailure('MTCH-0208', `Fetcher did not answer ${what} in time.`, acts, { cause: error });
  const code = causeCode(error);
  if (UNREACHABLE.has(code)) {
    return new FetcherFailure('MTCH-0203', 'Fetcher is unreachable; try again shortly.', false, {
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  if (TLS.test(code) || causeOf(error)?.message === 'unexpected redirect') {
    return new FetcherFailure('MTCH-0207', `Fetcher failed to answer ${what}.`, false, { cause: error });
  }
  // The connection was cut after the request may have left: resets, sockets closed, bodies cut short.
  return new FetcherFailure('MTCH-0207', `Fetcher failed to answer ${what}.`, acts, { cause: error });
};
