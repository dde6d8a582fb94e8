import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTokenVerifier,
  JWKS_FAILURE_HOLD_MS,
  SigningKeysUnavailable,
  type TokenVerifierOptions,
} from '../../../functions/http/token-verifier.ts';

const SECRET = 'a-shared-hmac-secret-of-at-least-32-bytes!';
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

const sign = (key: CryptoKey | Uint8Array, alg: string, claims: JWTPayload = {}, kid?: string) => {
  const jwt = new SignJWT({ exp: now() + HOUR, ...claims }).setProtectedHeader({ alg, ...(kid ? { kid } : {}) });
  return jwt.sign(key);
};
const secretKey = (secret = SECRET) => new TextEncoder().encode(secret);

const secretVerifier = (options: Partial<TokenVerifierOptions> = {}) =>
  createTokenVerifier({
    keys: { kind: 'secret', secret: SECRET },
    issuer: undefined,
    audience: undefined,
    clockToleranceSeconds: 0,
    ...options,
  });

/** A loopback JWKS endpoint that can be made to fail or hang, and counts the fetches it served. */
const jwksServer = () => {
  let mode: 'ok' | 'fail' | 'hang' = 'ok';
  let keys: JWK[] = [];
  const state = { hits: 0 };
  const server: Server = createServer((request, response) => {
    state.hits += 1;
    if (mode === 'hang') return; // never answers; the client's timeout must end it
    if (mode === 'fail') return void response.writeHead(500).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  return {
    state,
    set: (next: typeof mode) => void (mode = next),
    publish: (next: JWK[]) => void (keys = next),
    start: () =>
      new Promise<URL>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`))),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

describe('createTokenVerifier with a shared secret', () => {
  it.each(['HS256', 'HS384', 'HS512'])('accepts a %s token and returns its claims', async (alg) => {
    const token = await sign(secretKey(), alg, { sub: 'user-1', scope: 'discovery:write' });
    expect(await secretVerifier()(token)).toMatchObject({ sub: 'user-1', scope: 'discovery:write' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await sign(secretKey('another-secret-of-at-least-32-bytes-long'), 'HS256');
    await expect(secretVerifier()(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('refuses an asymmetric algorithm when only a secret is configured', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expect(secretVerifier()(await sign(privateKey, 'ES256'))).rejects.toBeInstanceOf(errors.JOSEAlgNotAllowed);
  });

  it('requires an exp claim', async () => {
    const token = await new SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'HS256' }).sign(secretKey());
    await expect(secretVerifier()(token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'exp' });
  });

  it('refuses an expired token, within the configured clock tolerance only', async () => {
    const token = await sign(secretKey(), 'HS256', { exp: now() - 10 });
    await expect(secretVerifier()(token)).rejects.toBeInstanceOf(errors.JWTExpired);
    expect(await secretVerifier({ clockToleranceSeconds: 60 })(token)).toMatchObject({ exp: now() - 10 });
  });

  it('checks the issuer and the audience only when they are configured', async () => {
    const token = await sign(secretKey(), 'HS256', { iss: 'https://issuer.example', aud: 'matcher' });
    expect(await secretVerifier()(token)).toMatchObject({ iss: 'https://issuer.example' });
    expect(await secretVerifier({ issuer: 'https://issuer.example', audience: 'matcher' })(token)).toMatchObject({ aud: 'matcher' });
    await expect(secretVerifier({ issuer: 'https://other.example' })(token)).rejects.toMatchObject({ claim: 'iss' });
    await expect(secretVerifier({ audience: 'someone-else' })(token)).rejects.toMatchObject({ claim: 'aud' });
    const bare = await sign(secretKey(), 'HS256');
    await expect(secretVerifier({ issuer: 'https://issuer.example' })(bare)).rejects.toMatchObject({ claim: 'iss' });
    await expect(secretVerifier({ audience: 'matcher' })(bare)).rejects.toMatchObject({ claim: 'aud' });
  });
});

describe('createTokenVerifier with a JWKS', () => {
  const server = jwksServer();
  let url: URL;
  const signers: Record<string, CryptoKey> = {};

  beforeAll(async () => {
    const published: JWK[] = [];
    for (const alg of ['RS256', 'ES256', 'EdDSA']) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      signers[alg] = privateKey;
      published.push({ ...(await exportJWK(publicKey)), kid: `key-${alg}`, alg });
    }
    server.publish(published);
    url = await server.start();
  });
  afterAll(() => server.stop());
  afterEach(() => {
    server.set('ok');
    vi.useRealTimers();
  });

  const jwksVerifier = (timeoutMs = 2_000) =>
    createTokenVerifier({ keys: { kind: 'jwks', url, timeoutMs }, issuer: undefined, audience: undefined, clockToleranceSeconds: 0 });
  const signed = (alg: string, claims: JWTPayload = {}) => sign(signers[alg]!, alg, claims, `key-${alg}`);

  it.each(['RS256', 'ES256', 'EdDSA'])('accepts a %s token signed with a published key', async (alg) => {
    expect(await jwksVerifier()(await signed(alg, { sub: alg }))).toMatchObject({ sub: alg });
  });

  it('refuses an HMAC token even when its secret is a published key', async () => {
    await expect(jwksVerifier()(await sign(secretKey(), 'HS256', {}, 'key-RS256'))).rejects.toBeInstanceOf(errors.JOSEAlgNotAllowed);
  });

  it('answers an unknown kid as a bad token, not as keys unavailable', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const error: unknown = await jwksVerifier()(await sign(privateKey, 'ES256', {}, 'forged')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('answers two published keys with one kid as a bad token, not as keys unavailable', async () => {
    const twins: JWK[] = [];
    for (let i = 0; i < 2; i += 1)
      twins.push({ ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: 'twin' });
    const twinServer = jwksServer();
    twinServer.publish(twins);
    const verify = createTokenVerifier({
      keys: { kind: 'jwks', url: await twinServer.start(), timeoutMs: 2_000 },
      issuer: undefined,
      audience: undefined,
      clockToleranceSeconds: 0,
    });
    try {
      const { privateKey } = await generateKeyPair('ES256');
      await expect(verify(await sign(privateKey, 'ES256', {}, 'twin'))).rejects.toBeInstanceOf(errors.JWKSMultipleMatchingKeys);
    } finally {
      await twinServer.stop();
    }
  });

  it('fetches the JWKS once and keeps it for many tokens', async () => {
    const verify = jwksVerifier();
    const before = server.state.hits;
    for (const alg of ['RS256', 'ES256', 'EdDSA', 'RS256']) await verify(await signed(alg));
    expect(server.state.hits - before).toBe(1);
  });

  it('keeps serving the keys it has when a refresh fails (stale-if-error)', async () => {
    const verify = jwksVerifier();
    await verify(await signed('ES256'));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 60_000 }); // past the cache's max age
    server.set('fail');
    const before = server.state.hits;
    expect(await verify(await signed('ES256', { sub: 'still' }))).toMatchObject({ sub: 'still' });
    expect(server.state.hits - before).toBe(1);
  });

  it('answers SigningKeysUnavailable when the JWKS cannot be fetched, then fails fast for a while', async () => {
    server.set('fail');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const verify = jwksVerifier();
    const token = await signed('RS256');
    const first: unknown = await verify(token).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SigningKeysUnavailable);
    expect(first).toMatchObject({ name: 'SigningKeysUnavailable', message: 'the JWKS could not be fetched' });
    expect((first as Error).cause).toBeInstanceOf(errors.JOSEError);
    const hits = server.state.hits;

    vi.advanceTimersByTime(JWKS_FAILURE_HOLD_MS - 1);
    await expect(verify(token)).rejects.toMatchObject({ name: 'SigningKeysUnavailable', message: 'the JWKS failed moments ago' });
    expect(server.state.hits).toBe(hits);

    // After the hold the JWKS is asked again, and once it answers, tokens verify.
    vi.advanceTimersByTime(1);
    server.set('ok');
    expect(await verify(token)).toMatchObject({ exp: expect.any(Number) });
    expect(server.state.hits).toBe(hits + 1);
  });

  it('gives up on a JWKS that does not answer within its timeout', async () => {
    server.set('hang');
    const started = Date.now();
    await expect(jwksVerifier(200)(await signed('RS256'))).rejects.toBeInstanceOf(SigningKeysUnavailable);
    // jose's own default is 5 s; the configured 200 ms is what ended the wait.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers SigningKeysUnavailable for a JWKS nobody listens on', async () => {
    const verify = createTokenVerifier({
      keys: { kind: 'jwks', url: new URL('http://127.0.0.1:9/jwks'), timeoutMs: 1_000 },
      issuer: undefined,
      audience: undefined,
      clockToleranceSeconds: 0,
    });
    await expect(verify(await signed('RS256'))).rejects.toBeInstanceOf(SigningKeysUnavailable);
  });
});
