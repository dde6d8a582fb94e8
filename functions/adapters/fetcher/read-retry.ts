import { setTimeout as sleepFor } from 'node:timers/promises';
import { MatcherError } from '../../discovery/errors.ts';
import type { Deadline } from '../../discovery/deadline.ts';
import { CircuitOpen } from './circuit-breaker.ts';

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  capMs: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const READ_RETRY: RetryOptions = { attempts: 3, baseMs: 100, capMs: 1_000 };

// Below this much time left a retry could not get an answer back anyway.
const MIN_USEFUL_MS = 100;

// Worth another try: Fetcher busy, unreachable, slow or failing, but not refusing what we asked.
const retryable = (error: unknown) =>
  error instanceof MatcherError && !(error instanceof CircuitOpen) && ['MTCH-0203', 'MTCH-0207', 'MTCH-0208'].includes(error.code);

/**
 * Retries an idempotent read with full-jitter exponential backoff (sleep uniform in [0, min(cap,
 * base * 2^n)]), never past the call's deadline. Only reads come here: a create is never retried.
 */
export const retryRead = async <T>(read: () => Promise<T>, deadline: Deadline, options: RetryOptions = READ_RETRY): Promise<T> => {
  const { attempts, baseMs, capMs, random = Math.random, sleep = (ms: number) => sleepFor(ms) } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const delay = Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
      if (attempt >= attempts || !retryable(error) || deadline.remainingMs() - delay < MIN_USEFUL_MS) throw error;
      await sleep(delay);
    }
  }
};
