import { errors, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { authenticate, scopesOf, type AuthOptions, type Permission } from '../../../functions/http/authenticate.ts';
import { AuthFailure } from '../../../functions/http/auth-failure.ts';
import { createTokenVerifier, SigningKeysUnavailable, type TokenVerifier } from '../../../functions/http/token-verifier.ts';
import { answerOf, rejection, run, withHeaders } from './middy-request.ts';

const SECRET = 'a-shared-hmac-secret-of-at-least-32-bytes!';
const TENANT = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const WRITE = 'discovery:write';
const READ = 'discovery:read';

const options = (overrides: Partial<AuthOptions> = {}): AuthOptions => ({
  keys: { kind: 'secret', secret: SECRET },
  issuer: undefined,
  audience: undefined,
  clockToleranceSeconds: 0,
  requiredScope: WRITE,
  readScope: READ,
  multiTenant: false,
  tenantClaim: 'tenantId',
  ...overrides,
});

const token = (claims: JWTPayload = {}) =>
  new SignJWT({ scope: WRITE, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

const middleware = (permission: Permission = 'write', overrides: Partial<AuthOptions> = {}, verify?: TokenVerifier) => {
  const opts = options(overrides);
  return authenticate(opts, verify ?? createTokenVerifier(opts), permission);
};

/** The principal the middleware put on the context for this Authorization header. */
const principalFor = async (authorization: string, permission: Permission = 'write', overrides: Partial<AuthOptions> = {}) => {
  const request = withHeaders({ authorization });
  await run(middleware(permission, overrides), 'before', request);
  return request.context.principal;
};

/** How the service answers this Authorization header (or none). */
const refusalFor = async (
  authorization: string | undefined,
  permission: Permission = 'write',
  overrides: Partial<AuthOptions> = {},
  verify?: TokenVerifier,
) => {
  const request = withHeaders(authorization === undefined ? {} : { authorization });
  const answer = answerOf(await rejection(middleware(permission, overrides, verify), 'before', request));
  expect(request.context.principal).toBeUndefined();
  return answer;
};

const problemHeaders = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' };
const NO_TOKEN = { status: 401, code: 'MTCH-0003', headers: { ...problemHeaders, 'WWW-Authenticate': 'Bearer realm="matcher"' } };
const BAD_TOKEN = {
  status: 401,
  code: 'MTCH-0003',
  headers: { ...problemHeaders, 'WWW-Authenticate': 'Bearer realm="matcher", error="invalid_token"' },
};
// RFC 6750: a request that is not one b64token after the scheme is malformed, not an invalid token.
const MALFORMED = {
  status: 400,
  code: 'MTCH-0001',
  headers: { ...problemHeaders, 'WWW-Authenticate': 'Bearer realm="matcher", error="invalid_request"' },
};
const lacking = (scope: string) => ({
  status: 403,
  code: 'MTCH-0004',
  headers: { ...problemHeaders, 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
});

describe('authenticate: the Authorization header', () => {
  it.each([undefined, '', '   '])('answers %j with 401 and a bare challenge', async (authorization) => {
    expect(await refusalFor(authorization)).toMatchObject({ ...NO_TOKEN, detail: 'A bearer token is required.' });
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer\tabc', 'Token abc', ' Bearer abc'])(
    'answers the non-bearer header %j with 401 and a bare challenge',
    async (authorization) => {
      expect(await refusalFor(authorization)).toMatchObject({ ...NO_TOKEN, detail: 'A bearer token is required.' });
    },
  );

  it('answers a request without headers with 401 and a bare challenge', async () => {
    const request = withHeaders({});
    request.event.headers = undefined as never;
    expect(answerOf(await rejection(middleware(), 'before', request))).toMatchObject({
      ...NO_TOKEN,
      detail: 'A bearer token is required.',
    });
  });

  it('answers a header of nothing but spaces as no token, however long', async () => {
    expect(await refusalFor(' '.repeat(9_000))).toMatchObject({ ...NO_TOKEN, detail: 'A bearer token is required.' });
  });

  it('answers a bearer scheme that does not start the header with a bare challenge', async () => {
    expect(await refusalFor(`xBearer ${await token()}`)).toMatchObject({ ...NO_TOKEN, detail: 'A bearer token is required.' });
  });

  it.each([
    'Bearer ',
    'Bearer  ',
    'Bearer abc def',
    'Bearer ab=c',
    'Bearer abc!',
    'Bearer abc ',
    'Bearer =abc',
    'Bearer a,b',
    'Bearer junk Bearer abc',
  ])('answers the malformed bearer header %j with 400 invalid_request', async (authorization) => {
    expect(await refusalFor(authorization)).toMatchObject({
      ...MALFORMED,
      detail: 'The Authorization header must hold exactly one bearer token.',
    });
  });

  it.each(['Bearer abc', 'Bearer abc==', 'Bearer a-b.c_d~e+f/g', 'bearer abc', 'BEARER   abc'])(
    'verifies the well-formed token of %j (here: invalid, 401 invalid_token)',
    async (authorization) => {
      expect(await refusalFor(authorization)).toMatchObject({ ...BAD_TOKEN, detail: 'The bearer token is invalid or expired.' });
    },
  );

  it('refuses an Authorization header over 8192 characters before reading it', async () => {
    const padded = (length: number) => `Bearer ${'a'.repeat(length - 'Bearer '.length)}`;
    expect(await refusalFor(padded(8_192))).toMatchObject({ detail: 'The bearer token is invalid or expired.' });
    expect(await refusalFor(padded(8_193))).toMatchObject({ ...BAD_TOKEN, detail: 'The Authorization header is too large.' });
  });

  it('accepts the scheme in any case and any number of spaces before the token', async () => {
    const jwt = await token({ sub: 'user-1' });
    for (const authorization of [`Bearer ${jwt}`, `bearer ${jwt}`, `BEARER   ${jwt}`]) {
      expect(await principalFor(authorization)).toMatchObject({ subject: 'user-1', tenantId: 'default' });
    }
  });

  it('answers an expired or forged token with 401 invalid_token, keeping jose error as the cause', async () => {
    const expired = await new SignJWT({ scope: WRITE, exp: Math.floor(Date.now() / 1000) - 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    const request = withHeaders({ authorization: `Bearer ${expired}` });
    const error = await rejection(middleware(), 'before', request);
    expect(error).toBeInstanceOf(AuthFailure);
    expect((error as Error).cause).toBeInstanceOf(errors.JWTExpired);
    expect(answerOf(error)).toMatchObject({ ...BAD_TOKEN, detail: 'The bearer token is invalid or expired.' });
  });
});

describe('authenticate: the verifier failing', () => {
  it('answers unavailable signing keys with 503 MTCH-0008, Retry-After and no challenge', async () => {
    const cause = new SigningKeysUnavailable('the JWKS could not be fetched');
    const request = withHeaders({ authorization: `Bearer ${await token()}` });
    const error = await rejection(
      middleware('write', {}, () => Promise.reject(cause)),
      'before',
      request,
    );
    expect((error as Error).cause).toBe(cause);
    expect(answerOf(error)).toEqual({
      status: 503,
      code: 'MTCH-0008',
      detail: 'The signing keys are unavailable; try again shortly.',
      errors: undefined,
      headers: { ...problemHeaders, 'Retry-After': '5' },
    });
  });

  it('lets any other failure of the verifier through untouched', async () => {
    const bug = new TypeError('a bug');
    const request = withHeaders({ authorization: `Bearer ${await token()}` });
    expect(
      await rejection(
        middleware('write', {}, () => Promise.reject(bug)),
        'before',
        request,
      ),
    ).toBe(bug);
  });
});

describe('authenticate: permissions', () => {
  it('reads permissions from scope, scp and permissions', () => {
    expect(scopesOf({ scope: ' a  b ', scp: ['c', 1, 'd'], permissions: ['e', null] })).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
    expect(scopesOf({ scp: 'f g', permissions: 'h' })).toEqual(new Set(['f', 'g', 'h']));
    expect(scopesOf({ scope: 42, scp: { a: 1 } })).toEqual(new Set());
  });

  it.each([
    ['write', WRITE],
    ['read', READ],
    ['read', WRITE],
  ] as const)('lets a %s route through with %s', async (permission, scope) => {
    const principal = await principalFor(`Bearer ${await token({ scope: `openid ${scope}`, sub: 'user-1' })}`, permission);
    expect(principal).toEqual({ subject: 'user-1', tenantId: 'default', scopes: new Set(['openid', scope]) });
  });

  it('answers a write route with 403 insufficient_scope naming discovery:write when the token may only read', async () => {
    expect(await refusalFor(`Bearer ${await token({ scope: READ })}`, 'write')).toMatchObject({
      ...lacking(WRITE),
      detail: 'The token lacks the discovery:write permission.',
    });
  });

  it('answers a read route with 403 insufficient_scope naming discovery:read when the token has neither', async () => {
    expect(await refusalFor(`Bearer ${await token({ scope: 'openid profile' })}`, 'read')).toMatchObject({
      ...lacking(READ),
      detail: 'The token lacks the discovery:read permission.',
    });
  });

  it('takes the subject only when it is a string', async () => {
    expect(await principalFor(`Bearer ${await token()}`)).toMatchObject({ subject: undefined });
    const odd = withHeaders({ authorization: 'Bearer abc' });
    await run(
      middleware('write', {}, () => Promise.resolve({ sub: 42 as never, scope: WRITE })),
      'before',
      odd,
    );
    expect(odd.context.principal).toEqual({ subject: undefined, tenantId: 'default', scopes: new Set([WRITE]) });
  });
});

describe('authenticate: tenancy', () => {
  const multi = { multiTenant: true };

  it('takes the tenant from the token claim, lower-cased', async () => {
    const principal = await principalFor(`Bearer ${await token({ tenantId: TENANT.toUpperCase() })}`, 'write', multi);
    expect(principal?.tenantId).toBe(TENANT);
  });

  it('reads the configured claim', async () => {
    const jwt = await token({ org: TENANT, tenantId: 'not-this-one' });
    expect((await principalFor(`Bearer ${jwt}`, 'write', { ...multi, tenantClaim: 'org' }))?.tenantId).toBe(TENANT);
  });

  it('ignores the claim when single-tenant', async () => {
    expect((await principalFor(`Bearer ${await token({ tenantId: TENANT })}`))?.tenantId).toBe('default');
  });

  it.each([
    ['missing', undefined],
    ['a number', 42],
    ['a list', [TENANT]],
    ['prefixed', `x${TENANT}`],
    ['suffixed', `${TENANT}x`],
    ['short in its first group', TENANT.slice(1)],
    ['short in its last group', TENANT.slice(0, -1)],
    ['not hex', TENANT.replace('3f', 'zz')],
    ['without dashes', TENANT.replaceAll('-', '')],
    ['default', 'default'],
  ])('answers a tenant claim that is %s with 403', async (_, tenantId) => {
    expect(await refusalFor(`Bearer ${await token({ tenantId })}`, 'write', multi)).toMatchObject({
      ...lacking(WRITE),
      detail: 'The token carries no valid tenant.',
    });
  });

  it('checks the permission before the tenant', async () => {
    expect(await refusalFor(`Bearer ${await token({ scope: 'openid' })}`, 'read', multi)).toMatchObject({
      ...lacking(READ),
      detail: 'The token lacks the discovery:read permission.',
    });
  });
});
