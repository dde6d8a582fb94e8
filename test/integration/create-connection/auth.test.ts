import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type DevIssuer } from '../../doubles/dev-issuer.ts';
import { freePort } from '../../doubles/free-port.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

let service: TestService;
let stranger: DevIssuer;
beforeAll(async () => {
  service = await startService();
  stranger = await startDevIssuer();
});
afterAll(async () => {
  await service.stop();
  await stranger.stop();
});

const createsSoFar = () => service.fetcher.requests.filter((r) => r.route === 'create').length;

const expectUnauthorized = (answer: Answer, tokenSent: boolean) => {
  expect(answer.status).toBe(401);
  expect(answer.body).toMatchObject({ status: 401, code: 'MTCH-0003', title: 'Unauthorized' });
  expect(answer.headers['www-authenticate']).toBe(tokenSent ? 'Bearer realm="matcher", error="invalid_token"' : 'Bearer realm="matcher"');
};

describe('POST /v1/discovery/connections: authentication', () => {
  it('answers 401 without a token, and never calls Fetcher', async () => {
    const before = createsSoFar();
    expectUnauthorized(await service.invoke({ body: validBody(), anonymous: true }), false);
    expectUnauthorized(
      await service.invoke({ body: validBody(), anonymous: true, headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      false,
    );
    expect(createsSoFar()).toBe(before);
  });

  it('answers 401 for an expired token', async () => {
    const token = await service.token({ expiresIn: -120 });
    expectUnauthorized(await service.invoke({ body: validBody(), token }), true);
  });

  it('accepts a token expired by less than the clock tolerance', async () => {
    const token = await service.token({ expiresIn: -10 });
    expect((await service.invoke({ body: validBody(), token })).status).toBe(201);
  });

  it('answers 401 for the wrong audience or issuer', async () => {
    expectUnauthorized(await service.invoke({ body: validBody(), token: await service.token({ audience: 'someone-else' }) }), true);
    expectUnauthorized(
      await service.invoke({ body: validBody(), token: await service.token({ issuer: 'https://evil.example.com' }) }),
      true,
    );
  });

  it('answers 401 for a token signed by another key', async () => {
    expectUnauthorized(await service.invoke({ body: validBody(), token: await stranger.sign() }), true);
  });

  it('answers 401 for a malformed token', async () => {
    expectUnauthorized(await service.invoke({ body: validBody(), token: 'not.a.jwt' }), true);
    expectUnauthorized(await service.invoke({ body: validBody(), headers: { authorization: 'Bearer' } }), false);
  });

  it('answers 401 for a token without exp', async () => {
    const { privateKey } = await (await import('jose')).generateKeyPair('ES256');
    const token = await new SignJWT({ scope: 'discovery:write' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .sign(privateKey);
    expectUnauthorized(await service.invoke({ body: validBody(), token }), true);
  });

  it('answers 403 MTCH-0004 when the token lacks discovery:write', async () => {
    const before = createsSoFar();
    const answer = await service.invoke({ body: validBody(), token: await service.token({ scope: 'discovery:read openid' }) });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ status: 403, code: 'MTCH-0004', title: 'Forbidden' });
    expect(answer.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:write"');
    expect(createsSoFar()).toBe(before);
  });

  it.each([
    ['scope', { scope: 'openid discovery:write' }],
    ['scp as a string', { scope: '', claims: { scp: 'discovery:write' } }],
    ['scp as a list', { scope: '', claims: { scp: ['discovery:read', 'discovery:write'] } }],
    ['permissions', { scope: '', claims: { permissions: ['discovery:write'] } }],
  ])('finds the permission in %s', async (_, options) => {
    expect((await service.invoke({ body: validBody(), token: await service.token(options) })).status).toBe(201);
  });

  it('accepts a lower-case bearer scheme', async () => {
    const token = await service.token();
    expect((await service.invoke({ body: validBody(), anonymous: true, headers: { authorization: `bearer ${token}` } })).status).toBe(201);
  });
});

describe('POST /v1/discovery/connections: signing keys unavailable', () => {
  let down: TestService;
  beforeAll(async () => {
    down = await startService({ JWT_JWKS_URL: `http://127.0.0.1:${await freePort()}/.well-known/jwks.json` });
  });
  afterAll(() => down.stop());

  it('answers 503 MTCH-0008 with Retry-After when the JWKS cannot be fetched', async () => {
    const answer = await down.invoke({ body: validBody(), token: await down.token() });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 503, code: 'MTCH-0008', title: 'Service Unavailable' });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(down.fetcher.requests).toEqual([]);
  });

  it('still answers 401 for a garbage token', async () => {
    expectUnauthorized(await down.invoke({ body: validBody(), token: 'garbage' }), true);
  });
});

describe('POST /v1/discovery/connections: HMAC and multi-tenant', () => {
  const secret = 'an-hmac-secret-of-at-least-32-characters!';
  let hmac: TestService;
  beforeAll(async () => {
    hmac = await startService({
      JWT_JWKS_URL: '',
      JWT_SECRET: secret,
      JWT_ISSUER: '',
      JWT_AUDIENCE: '',
      MULTI_TENANT: 'true',
      FETCHER_SHARED_IDENTITY: 'true',
    });
  });
  afterAll(() => hmac.stop());

  const hmacToken = (claims: Record<string, unknown>, key = secret, alg = 'HS256') =>
    new SignJWT({ scope: 'discovery:write', ...claims })
      .setProtectedHeader({ alg })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(key));

  it('accepts an HS256 token and caches under the token tenant', async () => {
    const tenant = randomUUID();
    const body = validBody();
    const answer = await hmac.invoke({ body, token: await hmacToken({ tenant_id: tenant }) });
    expect(answer.status).toBe(201);
    const fetcherId = hmac.fetcher.connections().find((c) => c.configName === body.configName)!.id;
    expect(answer.body.id).toBe(connectionId(tenant, fetcherId));
    const items = await hmac.cacheItems(tenant);
    expect(items.map((i) => i.sk)).toContain(`CONN#${answer.body.id}`);
  });

  it('answers 401 for a token signed with another secret', async () => {
    expectUnauthorized(
      await hmac.invoke({
        body: validBody(),
        token: await hmacToken({ tenant_id: randomUUID() }, 'another-secret-that-is-32-characters-long'),
      }),
      true,
    );
  });

  it.each([
    ['missing', {}],
    ['not a UUID', { tenant_id: 'acme' }],
    ['not a string', { tenant_id: 42 }],
  ])('answers 403 when the tenant claim is %s', async (_, claims) => {
    const answer = await hmac.invoke({ body: validBody(), token: await hmacToken(claims) });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('MTCH-0004');
  });

  it('never takes the tenant from the body', async () => {
    const tenant = randomUUID();
    const answer = await hmac.invoke({ body: { ...validBody(), tenantId: randomUUID() }, token: await hmacToken({ tenant_id: tenant }) });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ location: 'body.tenantId', message: 'unexpected property' }]);
  });
});
