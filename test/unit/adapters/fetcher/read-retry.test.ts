import { describe, expect, it } from 'vitest';
import { CircuitOpen } from '../../../../functions/adapters/fetcher/circuit-breaker.ts';
import { retryRead } from '../../../../functions/adapters/fetcher/read-retry.ts';
import { Deadline } from '../../../../functions/discovery/deadline.ts';
import { MatcherError } from '../../../../functions/discovery/errors.ts';

const failing = (errors: Error[], value = 'ok') => {
  let calls = 0;
  return {
    calls: () => calls,
    read: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return value;
    },
  };
};

const far = () => Deadline.in(60_000);

describe('retryRead', () => {
  it('retries retryable failures with full-jitter backoff and returns the answer', async () => {
    const sleeps: number[] = [];
    const source = failing([new MatcherError('MTCH-0203', 'busy'), new MatcherError('MTCH-0208', 'slow')]);
    const value = await retryRead(source.read, far(), {
      attempts: 3,
      baseMs: 100,
      capMs: 1_000,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(value).toBe('ok');
    expect(source.calls()).toBe(3);
    expect(sleeps).toEqual([50, 100]); // uniform in [0, 100) then [0, 200)
  });

  it('caps the backoff', async () => {
    const sleeps: number[] = [];
    const source = failing(Array.from({ length: 5 }, () => new MatcherError('MTCH-0207', 'bad gateway')));
    await retryRead(source.read, far(), {
      attempts: 6,
      baseMs: 100,
      capMs: 300,
      random: () => 0.999,
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(Math.max(...sleeps)).toBeLessThan(300);
  });

  it.each([
    ['a refusal', new MatcherError('MTCH-0206', 'conflict')],
    ['an open circuit', new CircuitOpen(5)],
    ['an unexpected error', new TypeError('bug')],
  ])('does not retry %s', async (_, error) => {
    const source = failing([error]);
    await expect(retryRead(source.read, far(), { attempts: 3, baseMs: 1, capMs: 1 })).rejects.toBe(error);
    expect(source.calls()).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    const last = new MatcherError('MTCH-0203', 'third');
    const source = failing([new MatcherError('MTCH-0203', 'first'), new MatcherError('MTCH-0203', 'second'), last]);
    await expect(retryRead(source.read, far(), { attempts: 3, baseMs: 1, capMs: 1 })).rejects.toBe(last);
  });

  it('never sleeps past the deadline', async () => {
    const source = failing([new MatcherError('MTCH-0203', 'busy')]);
    await expect(retryRead(source.read, Deadline.in(50), { attempts: 3, baseMs: 100, capMs: 1_000 })).rejects.toMatchObject({
      code: 'MTCH-0203',
    });
    expect(source.calls()).toBe(1);
  });
});
