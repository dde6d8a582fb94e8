import { describe, expect, it } from 'vitest';
import { CircuitOpen, createCircuitBreaker } from '../../../../functions/adapters/fetcher/circuit-breaker.ts';

const clock = () => {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('circuit breaker', () => {
  it('stays closed below the threshold and resets on success', () => {
    const breaker = createCircuitBreaker({ threshold: 3, cooldownMs: 1_000 });
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(() => breaker.admit()).not.toThrow();
    expect(breaker.state()).toBe('closed');
  });

  it('opens at the threshold and refuses with the remaining cooldown as Retry-After', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ threshold: 2, cooldownMs: 10_000, now: time.now });
    breaker.failed();
    breaker.failed();
    time.advance(2_500);
    const refusal = (() => {
      try {
        breaker.admit();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(CircuitOpen);
    expect(refusal).toMatchObject({ code: 'MTCH-0203', retryAfterSeconds: 8 });
  });

  it('half-opens after the cooldown with exactly one trial, which decides', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ threshold: 1, cooldownMs: 1_000, now: time.now });
    breaker.failed();
    time.advance(1_000);
    expect(() => breaker.admit()).not.toThrow();
    expect(breaker.state()).toBe('half-open');
    expect(() => breaker.admit()).toThrow(CircuitOpen); // a second caller waits for the trial
    breaker.succeeded();
    expect(breaker.state()).toBe('closed');

    breaker.failed();
    time.advance(1_000);
    breaker.admit();
    breaker.failed(); // the trial failed
    expect(breaker.state()).toBe('open');
    expect(() => breaker.admit()).toThrow(CircuitOpen);
  });

  it('frees the trial slot when a call ends without a verdict', () => {
    const time = clock();
    const breaker = createCircuitBreaker({ threshold: 1, cooldownMs: 1_000, now: time.now });
    breaker.failed();
    time.advance(1_000);
    breaker.admit();
    breaker.released();
    expect(() => breaker.admit()).not.toThrow();
  });
});
