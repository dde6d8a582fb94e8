/**
 * Values that must never be written anywhere: the passwords and tokens of requests in flight, and
 * the configured secrets. Counted rather than held in one slot, because a local process may serve
 * several requests at once, and two of them may carry the same value.
 */
const inFlight = new Map<string, number>();

// Very short values would redact ordinary words; key-based redaction still covers them.
const MIN_WITHHELD_LENGTH = 4;

/** Registers secret values; the returned function forgets them again. */
export const withhold = (...values: (string | undefined)[]): (() => void) => {
  const held = values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_WITHHELD_LENGTH);
  for (const value of held) inFlight.set(value, (inFlight.get(value) ?? 0) + 1);
  return () => {
    for (const value of held) {
      const count = (inFlight.get(value) ?? 1) - 1;
      if (count <= 0) inFlight.delete(value);
      else inFlight.set(value, count);
    }
  };
};

/** The text with every withheld value replaced. */
export const scrub = (text: string): string => {
  let result = text;
  for (const value of inFlight.keys()) {
    if (result.includes(value)) result = result.split(value).join('[REDACTED]');
  }
  return result;
};
