/**
 * When a piece of work must have ended. Every outbound call takes its timeout from one of these, so
 * the arithmetic of "the Lambda's remaining time, less a margin, capped by a per-call limit" is
 * written once.
 */
export class Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  private readonly now: () => number;

  private constructor(at: number, now: () => number) {
    this.at = at;
    this.now = now;
  }

  static at(epochMs: number, now: () => number = Date.now): Deadline {
    return new Deadline(epochMs, now);
  }

  static in(ms: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + ms, now);
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** The sooner of this deadline and `ms` from now. */
  within(ms: number): Deadline {
    return new Deadline(Math.min(this.at, this.now() + ms), this.now);
  }

  /** This deadline, `ms` sooner: room kept for what must still happen after the work. */
  shortenedBy(ms: number): Deadline {
    return new Deadline(this.at - ms, this.now);
  }

  /** Aborts at the deadline, or after `capMs` if that comes first. */
  signal(capMs = Number.POSITIVE_INFINITY): AbortSignal {
    const ms = Math.min(capMs, this.remainingMs());
    // Already passed: aborted now, so nothing is even sent.
    return ms > 0 ? AbortSignal.timeout(ms) : AbortSignal.abort(new DOMException('The deadline has passed.', 'TimeoutError'));
  }
}
