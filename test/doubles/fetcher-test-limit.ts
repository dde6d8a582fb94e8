import { fetcherError, type FetcherError } from './fetcher-errors.ts';

/** Fetcher's limit on POST /:id/test: 10 a minute per connection per tenant (ratelimit.New(10, time.Minute)). */
export const TEST_LIMIT = { calls: 10, windowMs: 60_000 };

/**
 * Fetcher's 429 for a connection tested too often: a numeric code, the wait only in the message, and
 * no Retry-After header.
 */
export const testLimitReached = (waitSeconds: number): FetcherError =>
  fetcherError(429, 429, 'Rate Limit Exceeded', `Connection test limit reached. Try again in ${waitSeconds} seconds.`);

/**
 * A sliding window of the tests of each connection: a test is refused while ten others ran in the last
 * minute, and the answer says how long until the oldest of them leaves the window.
 */
export const createTestLimiter = (now: () => number) => {
  const calls = new Map<string, number[]>();
  return {
    /** Counts a test of `key`; the 429 to answer instead when over the limit. */
    admit(key: string): FetcherError | undefined {
      const at = now();
      const recent = (calls.get(key) ?? []).filter((time) => at - time < TEST_LIMIT.windowMs);
      if (recent.length >= TEST_LIMIT.calls) {
        calls.set(key, recent);
        return testLimitReached(Math.max(1, Math.ceil((recent[0]! + TEST_LIMIT.windowMs - at) / 1000)));
      }
      calls.set(key, [...recent, at]);
      return undefined;
    },
  };
};
