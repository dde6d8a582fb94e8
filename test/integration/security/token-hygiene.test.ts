import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

/** JWT_MAX_TOKEN_AGE and JWT_REQUIRED_TYP: off by default, and each refuses what it names with 401 invalid_token. */
let strict: TestService;
let lenient: TestService;
beforeAll(async () => {
  strict = await startService({ JWT_MAX_TOKEN_AGE: '10m', JWT_REQUIRED_TYP: 'at+jwt', JWT_CLOCK_TOLERANCE_S: '30' });
  lenient = await startService();
});
afterAll(async () => {
  await Promise.all([strict.stop(), lenient.stop()]);
});

const now = () => Math.floor(Date.now() / 1000);
const atJwt = { header: { typ: 'at+jwt' } };

describe('token hygiene', () => {
  it('accepts a fresh at+jwt token', async () => {
    const token = await strict.token(atJwt);
    expect((await strict.invoke({ token, body: validBody() })).status).toBe(201);
  });

  it.each([
    ['issued longer ago than JWT_MAX_TOKEN_AGE', { ...atJwt, claims: { iat: now() - 11 * 60 } }],
    ['issued in the future beyond the clock tolerance', { ...atJwt, claims: { iat: now() + 120 } }],
    ['without iat', { ...atJwt, claims: { iat: undefined } }],
    ['of another typ', { header: { typ: 'JWT' } }],
    ['without typ', { header: { typ: undefined } }],
  ])('refuses a token %s with 401 invalid_token', async (_, options) => {
    const answer = await strict.invoke({ token: await strict.token(options), body: validBody() });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('MTCH-0003');
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="matcher", error="invalid_token"');
  });

  it('checks neither when they are not set', async () => {
    const old = await lenient.token({ header: { typ: 'JWT' }, claims: { iat: now() - 24 * 60 * 60 } });
    expect((await lenient.invoke({ token: old, body: validBody() })).status).toBe(201);
  });
});
