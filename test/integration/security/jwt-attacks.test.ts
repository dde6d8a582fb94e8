import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type DevIssuer } from '../../doubles/dev-issuer.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

let rsa: TestService;
let rsaIssuer: DevIssuer;
let attackerJwks: Server;
let attackerHits = 0;
let attackerUrl = '';

beforeAll(async () => {
  rsaIssuer = await startDevIssuer({ alg: 'RS256' });
  rsa = await startService({ JWT_JWKS_URL: rsaIssuer.jwksUrl });
  attackerJwks = createServer((_, res) => {
    attackerHits++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => attackerJwks.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attackerJwks.address() as { port: number }).port}/jwks.json`;
});
afterAll(async () => {
  await rsa.stop();
  await rsaIssuer.stop();
  attackerJwks.closeAllConnections();
  await new Promise((resolve) => attackerJwks.close(resolve));
});

const invokeWith = (token: string) => rsa.invoke({ body: validBody(), token });
const expect401 = (answer: Answer) => {
  expect(answer.status).toBe(401);
  expect(answer.body.code).toBe('MTCH-0003');
  expect(answer.headers['www-authenticate']).toBe('Bearer realm="matcher", error="invalid_token"');
};
const claims = () => ({
  iss: DEV_ISSUER,
  aud: DEV_AUDIENCE,
  sub: 'attacker',
  scope: 'discovery:write',
  exp: Math.floor(Date.now() / 1000) + 600,
});
const unsigned = (header: object, payload: object) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;

describe('JWT attacks', () => {
  it('accepts the genuine RS256 token (the baseline every attack below departs from)', async () => {
    expect((await invokeWith(await rsaIssuer.sign())).status).toBe(201);
  });

  it('refuses alg none', async () => {
    expect401(await invokeWith(`${unsigned({ alg: 'none', typ: 'JWT' }, claims())}.`));
    expect401(await invokeWith(`${unsigned({ alg: 'NONE' }, claims())}.`));
  });

  it('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    const publicJwk = rsaIssuer.jwks.keys[0]!;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.n!]) {
      const input = unsigned({ alg: 'HS256', kid: publicJwk.kid }, claims());
      const signature = createHmac('sha256', secret).update(input).digest('base64url');
      expect401(await invokeWith(`${input}.${signature}`));
    }
  });

  it('refuses an unknown kid, and does not fetch the JWKS once per request', async () => {
    await invokeWith(await rsaIssuer.sign()); // keys cached
    const before = rsaIssuer.jwksFetches();
    for (let i = 0; i < 10; i++) expect401(await invokeWith(await rsaIssuer.sign({ header: { kid: `forged-${i}` } })));
    expect(rsaIssuer.jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('ignores keys carried in the jwk and jku headers', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: rsaIssuer.jwks.keys[0]!.kid! };
    const embedded = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, jwk }).sign(privateKey);
    expect401(await invokeWith(embedded));
    const pointed = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'attacker', jku: attackerUrl }).sign(privateKey);
    expect401(await invokeWith(pointed));
    expect(attackerHits).toBe(0);
  });

  it('refuses a missing or non-numeric exp', async () => {
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { exp: undefined } })));
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { exp: 'tomorrow' as unknown as number } })));
  });

  it('honours the 30 s clock tolerance at its edges', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await invokeWith(await rsaIssuer.sign({ claims: { exp: now - 25 } }))).status).toBe(201);
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { exp: now - 35 } })));
    expect((await invokeWith(await rsaIssuer.sign({ claims: { nbf: now + 25 } }))).status).toBe(201);
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { nbf: now + 35 } })));
  });

  it('refuses a token from the future (nbf) or for someone else', async () => {
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } })));
    expect401(await invokeWith(await rsaIssuer.sign({ issuer: 'https://evil.example.com' })));
    expect401(await invokeWith(await rsaIssuer.sign({ audience: 'another-api' })));
    expect401(await invokeWith(await rsaIssuer.sign({ claims: { iss: undefined } })));
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await rsaIssuer.sign({ scope: 'discovery:read' })).split('.');
    const escalated = base64url.encode(JSON.stringify({ ...claims(), sub: 'dev-user' }));
    expect401(await invokeWith(`${header}.${escalated}.${signature}`));
  });

  it('refuses an oversized Authorization header before parsing it or fetching any key', async () => {
    const fresh = await startService({ JWT_JWKS_URL: rsaIssuer.jwksUrl });
    try {
      const before = rsaIssuer.jwksFetches();
      const huge = await rsaIssuer.sign({ claims: { padding: 'x'.repeat(10_000) } });
      const answer = await fresh.invoke({ body: validBody(), token: huge });
      expect(answer.status).toBe(401);
      expect(answer.body.detail).toBe('The Authorization header is too large.');
      expect(rsaIssuer.jwksFetches()).toBe(before);
    } finally {
      await fresh.stop();
    }
  });

  it('refuses a malformed credential (two tokens, or words after the token) as a bad request: 400 invalid_request', async () => {
    const token = await rsaIssuer.sign();
    const before = rsaIssuer.jwksFetches();
    for (const authorization of [
      'Bearer a b',
      `Bearer ${token}, Bearer ${token}`,
      `Bearer ${token} Bearer ${token}`,
      `Bearer ${token},${token}`,
    ]) {
      const answer = await rsa.invoke({ body: validBody(), anonymous: true, headers: { authorization } });
      expect(answer.status, authorization).toBe(400);
      expect(answer.body).toMatchObject({ code: 'MTCH-0001', status: 400, title: 'Bad Request' });
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="matcher", error="invalid_request"');
      expect(answer.raw).not.toContain(token);
    }
    // Refused on its syntax: no key was looked for.
    expect(rsaIssuer.jwksFetches()).toBe(before);
  });

  it('accepts a lower-case or upper-case scheme', async () => {
    const token = await rsaIssuer.sign();
    expect((await rsa.invoke({ body: validBody(), anonymous: true, headers: { authorization: `bearer ${token}` } })).status).toBe(201);
    expect((await rsa.invoke({ body: validBody(), anonymous: true, headers: { authorization: `BEARER ${token}` } })).status).toBe(201);
  });

  it('takes the tenant from the verified token only, never from headers or the body', async () => {
    const token = await rsaIssuer.sign({ tenantId: '4b0f4a57-5c43-4ae4-9c2f-8f1c3b0b7f10' });
    const answer = await rsa.invoke({ body: validBody(), token, headers: { 'x-tenant-id': '11111111-1111-4111-8111-111111111111' } });
    expect(answer.status).toBe(201);
    // Single-tenant mode: everyone is tenant "default", whatever the token or the headers say.
    expect((await rsa.cacheItems('default')).some((i) => i.id === answer.body.id)).toBe(true);
    expect(await rsa.cacheItems('11111111-1111-4111-8111-111111111111')).toEqual([]);
  });
});

describe('JWKS failures: 503 for key trouble, 401 for token trouble', () => {
  let issuer: DevIssuer;
  afterEach(async () => {
    await issuer.stop();
  });

  const serviceFor = async (fault: Parameters<DevIssuer['breakJwks']>[0]) => {
    issuer = await startDevIssuer();
    issuer.breakJwks(fault);
    return startService({ JWT_JWKS_URL: issuer.jwksUrl, JWT_JWKS_TIMEOUT_MS: '300' });
  };

  it.each([
    ['slow', { delayMs: 1_500 }],
    ['answering HTML', { contentType: 'text/html', body: '<html>gateway error</html>' }],
    ['answering 500', { status: 500, body: 'oops' }],
    ['answering JSON that is not a key set', { body: '{"keys": "none"}' }],
  ])('answers 503 MTCH-0008 when the JWKS is %s, and 401 for a garbage token', async (_, fault) => {
    const service = await serviceFor(fault);
    try {
      const started = Date.now();
      const answer = await service.invoke({ body: validBody(), token: await issuer.sign() });
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('MTCH-0008');
      expect(answer.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(1_200);
      expect401(await service.invoke({ body: validBody(), token: 'garbage.token.here' }));
      expect(service.fetcher.requests).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it('fails fast after a failed fetch instead of fetching again for every request', async () => {
    const service = await serviceFor({ contentType: 'text/html', body: '<html></html>' });
    try {
      const token = await issuer.sign();
      for (let i = 0; i < 5; i++) expect((await service.invoke({ body: validBody(), token })).status).toBe(503);
      expect(issuer.jwksFetches()).toBe(1);
    } finally {
      await service.stop();
    }
  });

  it('keeps serving cached keys when a refresh fails', async () => {
    const service = await serviceFor(undefined);
    try {
      expect((await service.invoke({ body: validBody(), token: await issuer.sign() })).status).toBe(201);
      issuer.breakJwks({ status: 500 });
      // Past the 10-minute cache age the keys must be refreshed; the refresh fails, the cached keys serve.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 11 * 60_000);
      const answer = await service.invoke({ body: validBody(), token: await issuer.sign() });
      expect(issuer.jwksFetches()).toBe(2);
      expect(answer.status).toBe(201);
    } finally {
      vi.useRealTimers();
      await service.stop();
    }
  });
});

describe('an unknown kid while the JWKS is down', () => {
  it('answers 503 MTCH-0008 with Retry-After (the issuer may have rotated to it), not 401', async () => {
    const issuer = await startDevIssuer();
    const service = await startService({ JWT_JWKS_URL: issuer.jwksUrl, JWT_JWKS_TIMEOUT_MS: '300' });
    try {
      expect((await service.invoke({ body: validBody(), token: await issuer.sign() })).status).toBe(201);
      issuer.breakJwks({ status: 503, body: 'down' });
      // Past the 30 s cooldown an unknown kid makes the keys be fetched again; that fetch fails.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 31_000);
      const rotated = await issuer.sign({ header: { kid: 'rotated-key' } });
      const answer = await service.invoke({ body: validBody(), token: rotated });
      expect(issuer.jwksFetches()).toBe(2);
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('MTCH-0008');
      expect(answer.headers['retry-after']).toBe('5');
      // The keys in hand still serve, and while the JWKS stays down the same kid fails fast, unfetched.
      expect((await service.invoke({ body: validBody(), token: await issuer.sign() })).status).toBe(201);
      expect((await service.invoke({ body: validBody(), token: rotated })).status).toBe(503);
      expect(issuer.jwksFetches()).toBe(2);
    } finally {
      vi.useRealTimers();
      await service.stop();
      await issuer.stop();
    }
  });

  it('is still 401 when the JWKS answers without it', async () => {
    const issuer = await startDevIssuer();
    const service = await startService({ JWT_JWKS_URL: issuer.jwksUrl });
    try {
      expect((await service.invoke({ body: validBody(), token: await issuer.sign() })).status).toBe(201);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 31_000);
      expect401(await service.invoke({ body: validBody(), token: await issuer.sign({ header: { kid: 'never-published' } }) }));
      expect(issuer.jwksFetches()).toBe(2);
    } finally {
      vi.useRealTimers();
      await service.stop();
      await issuer.stop();
    }
  });
});
