import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig, JwtKeySource } from '../config.ts';

/** Asymmetric algorithms a JWKS may sign with; HMAC is only ever accepted with a configured secret. */
const JWKS_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

const JWKS_TIMEOUT_MS = 2_000;
// An unknown kid refetches the JWKS at most this often, so forged kids cannot turn into a fetch per request.
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** The signing keys could not be obtained: the caller is not at fault (503, never 401). */
export class SigningKeysUnavailable extends Error {
  override name = 'SigningKeysUnavailable';
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

const jwksKeys = (url: URL): JWTVerifyGetKey => {
  const remote = createRemoteJWKSet(url, { timeoutDuration: JWKS_TIMEOUT_MS, cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: JWKS_MAX_AGE_MS });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      // A failed refresh keeps serving the keys we already have (stale-if-error).
      const lastKnown = remote.jwks();
      if (lastKnown) return createLocalJWKSet(lastKnown)(header, token);
      throw new SigningKeysUnavailable('the JWKS could not be fetched', { cause: error });
    }
  };
};

const keysOf = (source: JwtKeySource): { key: JWTVerifyGetKey | Uint8Array; algorithms: string[] } =>
  source.kind === 'jwks'
    ? { key: jwksKeys(source.url), algorithms: JWKS_ALGORITHMS }
    : { key: new TextEncoder().encode(source.secret), algorithms: HMAC_ALGORITHMS };

/** Created once per container: the JWKS cache lives as long as the verifier. */
export const createTokenVerifier = (config: AuthConfig): TokenVerifier => {
  const { key, algorithms } = keysOf(config.keys);
  const options = {
    algorithms,
    requiredClaims: ['exp'],
    clockTolerance: config.clockToleranceSeconds,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  return async (token) => {
    const { payload } =
      key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    return payload;
  };
};
