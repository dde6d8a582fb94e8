import type { MiddlewareObj } from '@middy/core';
import { errors as joseErrors, type JWTPayload } from 'jose';
import { MatcherError } from '../discovery/errors.ts';
import { AuthFailure } from './auth-failure.ts';
import type { HttpEvent, HttpResult, Principal, RouteContext } from './request-state.ts';
import { JWKS_FAILURE_HOLD_MS, SigningKeysUnavailable, type TokenVerifier, type TokenVerifierOptions } from './token-verifier.ts';

/** Who may call (the JWT_* variables, the permissions and the tenancy). */
export interface AuthOptions extends TokenVerifierOptions {
  /** The permission every write route requires. */
  requiredScope: string;
  /** The permission a read route accepts, besides requiredScope. */
  readScope: string;
  multiTenant: boolean;
  tenantClaim: string;
}

/** What a route asks of its caller. */
export type Permission = 'read' | 'write';

// Real tokens are a few KB; anything far larger is refused before it is parsed.
const MAX_AUTHORIZATION_LENGTH = 8_192;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWKS_RETRY_AFTER_SECONDS = Math.ceil(JWKS_FAILURE_HOLD_MS / 1000);

const unauthorized = (detail: string, tokenSent: boolean, cause?: unknown) =>
  new AuthFailure('MTCH-0003', detail, tokenSent ? 'invalid_token' : 'none', undefined, cause);

const stringList = (value: unknown): string[] => {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
};

/** Permissions from `scope` (space separated), `scp` (string or list) or `permissions` (list). */
export const scopesOf = (claims: JWTPayload): Set<string> =>
  new Set([...stringList(claims.scope), ...stringList(claims.scp), ...stringList(claims.permissions)]);

/**
 * Bearer JWT authentication: verifies the token, then requires the route's permission and, in
 * multi-tenant mode, a UUID tenant claim. The tenant is only ever taken from the verified token.
 */
export const authenticate = (
  options: AuthOptions,
  verify: TokenVerifier,
  permission: Permission,
): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => {
  // A read route also serves callers who may write; the challenge names the least permission that would do.
  const accepted = permission === 'read' ? [options.readScope, options.requiredScope] : [options.requiredScope];
  const forbidden = (detail: string) => new AuthFailure('MTCH-0004', detail, 'insufficient_scope', accepted[0]);

  const principalOf = (claims: JWTPayload): Principal => {
    const scopes = scopesOf(claims);
    if (!accepted.some((scope) => scopes.has(scope))) throw forbidden(`The token lacks the ${accepted[0]} permission.`);
    let tenantId = 'default';
    if (options.multiTenant) {
      const claim = claims[options.tenantClaim];
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
      // Not one b64token after the scheme (`Bearer a b`, two tokens): a malformed request, RFC 6750's invalid_request.
      if (!token) throw new AuthFailure('MTCH-0001', 'The Authorization header must hold exactly one bearer token.', 'invalid_request');

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
        if (error instanceof joseErrors.JOSEError) throw unauthorized('The bearer token is invalid or expired.', true, error);
        throw error;
      }
      request.context.principal = principalOf(claims);
    },
  };
};
