import type { JWTPayload } from 'jose';

/** How long a verified token is taken on trust before its signature is checked again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const MOST_TOKENS = 1_000;

/** The time checks a token passed once, and when they could first fail: expiry, and maximum age when set. */
const validUntil = (payload: JWTPayload, maxTokenAgeSeconds: number | undefined, now: number): number =>
  Math.min(
    now + VERIFIED_TOKEN_TTL_MS,
    typeof payload.exp === 'number' ? payload.exp * 1000 : now,
    maxTokenAgeSeconds && typeof payload.iat === 'number' ? (payload.iat + maxTokenAgeSeconds) * 1000 : Number.POSITIVE_INFINITY,
  );

/**
 * Tokens already verified, by their exact text (signature included): a caller sends the same token
 * for its whole life, and checking an ES256 signature again costs more than the rest of a warm
 * request. An entry lasts until the first moment a check could answer otherwise (exp, iat + maximum
 * age, with no clock tolerance: then the full check runs and applies it), and never more than a
 * minute, so a key withdrawn from the JWKS stops being trusted as it did before, a minute later at most.
 * Refusals are never kept. Bounded: when full, it starts over.
 */
export const verifiedTokens = (maxTokenAgeSeconds: number | undefined, now: () => number = Date.now) => {
  const verified = new Map<string, { payload: JWTPayload; until: number }>();
  return {
    get(token: string): JWTPayload | undefined {
      const entry = verified.get(token);
      if (entry && entry.until > now()) return entry.payload;
      if (entry) verified.delete(token);
      return undefined;
    },
    keep(token: string, payload: JWTPayload): void {
      if (verified.size >= MOST_TOKENS) verified.clear();
      verified.set(token, { payload, until: validUntil(payload, maxTokenAgeSeconds, now()) });
    },
  };
};
