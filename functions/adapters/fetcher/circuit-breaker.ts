import { MatcherError } from '../../discovery/errors.ts';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** How long it stays open before one trial call may pass (half-open). */
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The circuit is open: Fetcher was failing moments ago, so the call is refused without trying. */
export class CircuitOpen extends MatcherError {
  constructor(retryAfterSeconds: number) {
    super('MTCH-0203', 'Fetcher is failing; try again shortly.', { retryAfterSeconds });
    this.name = 'CircuitOpen';
  }
}

/**
 * A per-container circuit breaker: after `threshold` consecutive failures every call fails fast
 * for `cooldownMs`; then one trial call is let through, and its outcome closes or re-opens it.
 */
export const createCircuitBreaker = ({ threshold, cooldownMs, now = Date.now }: BreakerOptions) => {
  let failures = 0;
  let openedAt = 0;
  let state: BreakerState = 'closed';
  let trialInFlight = false;

  return {
    state: (): BreakerState => state,
    /** Throws CircuitOpen unless the call may go ahead. */
    admit(): void {
      if (state === 'closed') return;
      const waited = now() - openedAt;
      if (state === 'open' && waited >= cooldownMs) state = 'half-open';
      if (state === 'half-open' && !trialInFlight) {
        trialInFlight = true;
        return;
      }
      throw new CircuitOpen(Math.max(1, Math.ceil((cooldownMs - waited) / 1000)));
    },
    succeeded(): void {
      failures = 0;
      trialInFlight = false;
      state = 'closed';
    },
    /** The call ended without saying anything about Fetcher's health (e.g. our own budget ran out). */
    released(): void {
      trialInFlight = false;
    },
    failed(): void {
      trialInFlight = false;
      failures++;
      if (state === 'half-open' || failures >= threshold) {
        state = 'open';
        openedAt = now();
      }
    },
  };
};

export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
