import type { MiddlewareObj } from '@middy/core';
import { errors as joseErrors, type JWTPayload } from 'jose';
import type { AuthConfig } from '../config.ts';
import { MatcherError } from '../discovery/errors.ts';
import type { DiscoveryContext, HttpEvent, HttpResult, Principal } from './request-context.ts';
import { JWKS_FAILURE_HOLD_MS, SigningKeysUnavailable, type TokenVerifier } from './token-verifier.ts';

// Real tokens are a few KB; anything far larger is refused before it is parsed.
const MAX_AUTHORIZATION_LENGTH = 8_192;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWKS_RETRY_AFTER_SECONDS = Math.ceil(JWKS_FAILURE_HOLD_MS / 1000);

const unauthorized = (detail: string, tokenSent: boolean, cause?: unknown) =>
  new MatcherError('MTCH-0003', detail, {
    headers: { 'WWW-Authenticate': tokenSent ? 'Bearer realm="matcher", error="invalid_token"' : 'Bearer realm="matcher"' },
    cause,
  });

const stringList = (value: unknown): string[] => {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
};

/** Permissions from `scope` (space separated), `scp` (string or list) or `permissions` (list). */
export const scopesOf = (claims: JWTPayload): Set<string> =>
  new Set([...stringList(claims.scope), ...stringList(claims.scp), ...stringList(claims.permissions)]);

/**
 * Bearer JWT authentication: verifies the token, then requires the configured permission and, in
 * multi-tenant mode, a UUID tenant claim. The tenant is only ever taken from the verified token.
 */
export const authenticate = (config: AuthConfig, verify: TokenVerifier): MiddlewareObj<HttpEvent, HttpResult, Error, DiscoveryContext> => {
  const forbidden = (detail: string) =>
    new MatcherError('MTCH-0004', detail, {
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${config.requiredScope}"` },
    });

  const principalOf = (claims: JWTPayload): Principal => {
    const scopes = scopesOf(claims);
    if (!scopes.has(config.requiredScope)) throw forbidden(`The token lacks the ${config.requiredScope} permission.`);
    let tenantId = 'default';
    if (config.multiTenant) {
      const claim = claims[config.tenantClaim];
      if (typeof claim !== 'string' || !UUID.test(claim)) throw forbidden('The token carries no valid tenant.');
      tenantId = claim.toLowerCase();
    }
    return { subject: typeof claims.sub === 'string' ? claims.sub : undefined, tenantId, scopes };
  };

  return {
    before: async (request) => {
      const header = request.event.headers?.authorization;
      if (header === undefined || header.trim() === '') throw unauthorized('A bearer token is required.', false);
      if (header.length > MAX_AUTHORIZATION_LENGTH) throw unauthorized('The Authorization header is too large.', true);
      if (!/^bearer /i.test(header)) throw unauthorized('A bearer token is required.', false);
      const token = BEARER.exec(header)?.[1];
      if (!token) throw unauthorized('The bearer token is malformed.', true);

      let claims: JWTPayload;
      try {
        claims = await verify(token);
      } catch (error) {
        if (error instanceof SigningKeysUnavailable) {
          throw new MatcherError('MTCH-0008', 'The signing keys are unavailable; try again shortly.', {
            retryAfterSeconds: JWKS_RETRY_AFTER_SECONDS,
            cause: error,
          });
        }
        if (error instanceof joseErrors.JOSEError) {
          throw unauthorized('The bearer token is invalid or expired.', true, error);
        }
        throw error;
      }
      request.context.principal = principalOf(claims);
    },
  };
};
