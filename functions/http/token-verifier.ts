import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { verifiedTokens } from './verified-tokens.ts';

/** Where signing keys come from: an issuer's JWKS, or a shared HMAC secret. */
export type JwtKeySource = { kind: 'jwks'; url: URL; timeoutMs: number } | { kind: 'secret'; secret: string };

/** What a token must satisfy besides its signature. */
export interface TokenVerifierOptions {
  keys: JwtKeySource;
  issuer: string | undefined;
  audience: string | undefined;
  clockToleranceSeconds: number;
  /** Refuse tokens whose iat is older than this (or in the future beyond the tolerance). */
  maxTokenAgeSeconds?: number;
  /** Refuse tokens whose typ header is not this (e.g. at+jwt). */
  requiredTyp?: string;
}

/** Asymmetric algorithms a JWKS may sign with; HMAC is only ever accepted with a configured secret. */
const JWKS_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

// An unknown kid refetches the JWKS at most this often, so forged kids cannot turn into a fetch per request.
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;
// After a failed fetch with no keys in hand, requests fail fast for this long instead of each waiting
// on a JWKS that is down or slow.
export const JWKS_FAILURE_HOLD_MS = 5_000;

/** The signing keys could not be obtained: the caller is not at fault (503, never 401). */
export class SigningKeysUnavailable extends Error {
  override name = 'SigningKeysUnavailable';
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/** Verifies with the keys last fetched; a kid they lack, while the JWKS cannot be fetched, is their absence, not the caller's fault. */
const withKnownKeys = async (keys: JSONWebKeySet, header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => {
  try {
    return await createLocalJWKSet(keys)(header, token);
  } catch (error) {
    // The issuer may have rotated to a key we cannot fetch: try again once the JWKS is back.
    if (error instanceof errors.JWKSNoMatchingKey) throw new SigningKeysUnavailable('the key is unknown and the JWKS cannot be fetched');
    throw error;
  }
};

const jwksKeys = (url: URL, timeoutMs: number): JWTVerifyGetKey => {
  const remote = createRemoteJWKSet(url, { timeoutDuration: timeoutMs, cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: JWKS_MAX_AGE_MS });
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (header, token) => {
    if (Date.now() - failedAt < JWKS_FAILURE_HOLD_MS) {
      const known = remote.jwks();
      if (!known) throw new SigningKeysUnavailable('the JWKS failed moments ago');
      return withKnownKeys(known, header, token);
    }
    try {
      return await remote(header, token);
    } catch (error) {
      // The JWKS answered and lacks the kid (or cooled down after answering): the token is at fault.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      failedAt = Date.now();
      // A failed refresh keeps serving the keys we already have (stale-if-error).
      const lastKnown = remote.jwks();
      if (lastKnown) return withKnownKeys(lastKnown, header, token);
      throw new SigningKeysUnavailable('the JWKS could not be fetched', { cause: error });
    }
  };
};

const keysOf = (source: JwtKeySource): { key: JWTVerifyGetKey | Uint8Array; algorithms: string[] } =>
  source.kind === 'jwks'
    ? { key: jwksKeys(source.url, source.timeoutMs), algorithms: JWKS_ALGORITHMS }
    : { key: new TextEncoder().encode(source.secret), algorithms: HMAC_ALGORITHMS };

/** Created once per container: the JWKS cache lives as long as the verifier. */
export const createTokenVerifier = (config: TokenVerifierOptions): TokenVerifier => {
  const { key, algorithms } = keysOf(config.keys);
  const options = {
    algorithms,
    requiredClaims: ['exp'],
    clockTolerance: config.clockToleranceSeconds,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    ...(config.maxTokenAgeSeconds ? { maxTokenAge: config.maxTokenAgeSeconds } : {}),
    ...(config.requiredTyp ? { typ: config.requiredTyp } : {}),
  };
  const verified = verifiedTokens(config.maxTokenAgeSeconds);
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    // Two calls, not one: jwtVerify's overloads take either a key or a key-getting function.
    const { payload } = key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    verified.keep(token, payload);
    return payload;
  };
};
