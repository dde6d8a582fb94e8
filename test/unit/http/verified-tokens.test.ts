import { SignJWT, type JWTPayload } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, type TokenVerifierOptions } from '../../../functions/http/token-verifier.ts';
import { VERIFIED_TOKEN_TTL_MS, verifiedTokens } from '../../../functions/http/verified-tokens.ts';

const SECRET = 'a-shared-hmac-secret-of-at-least-32-bytes!';
const START = new Date('2026-11-30T12:00:00Z');
const seconds = () => Math.floor(Date.now() / 1000);

const sign = (claims: JWTPayload, secret = SECRET) =>
  new SignJWT({ exp: seconds() + 3600, iat: seconds(), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));

const verifier = (options: Partial<TokenVerifierOptions> = {}) =>
  createTokenVerifier({
    keys: { kind: 'secret', secret: SECRET },
    issuer: undefined,
    audience: undefined,
    clockToleranceSeconds: 0,
    ...options,
  });

/** Every HMAC signature jose computes or checks goes through WebCrypto's sign or verify. */
const signatureChecks = () => {
  const sign = vi.spyOn(crypto.subtle, 'sign');
  const verify = vi.spyOn(crypto.subtle, 'verify');
  return () => sign.mock.calls.length + verify.mock.calls.length;
};

/** What a verifier that never saw the token answers: the cached one must answer the same. */
const freshAnswer = (token: string, options: Partial<TokenVerifierOptions> = {}) =>
  verifier(options)(token).then(
    (payload) => ({ payload }),
    (error: Error) => ({ error: `${error.name}: ${error.message}` }),
  );
const answerOf = (promise: Promise<JWTPayload>) =>
  promise.then(
    (payload) => ({ payload }),
    (error: Error) => ({ error: `${error.name}: ${error.message}` }),
  );

describe('a verified token taken on trust', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('has its signature checked once, then answers with the same claims', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const token = await sign({ sub: 'matcher', scope: 'discovery:write' });
    const verify = verifier();
    const checks = signatureChecks();
    const first = await verify(token);
    expect(await verify(token)).toEqual(first);
    expect(await verify(token)).toMatchObject({ sub: 'matcher', scope: 'discovery:write' });
    expect(checks()).toBe(1);
  });

  it('has it checked again once the trust runs out', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const token = await sign({ sub: 'matcher' });
    const verify = verifier();
    const checks = signatureChecks();
    await verify(token);
    vi.setSystemTime(START.getTime() + VERIFIED_TOKEN_TTL_MS + 1);
    await verify(token);
    expect(checks()).toBe(2);
  });

  it('is refused once it expires, exactly as a fresh check refuses it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const token = await sign({ exp: seconds() + 2 });
    const verify = verifier();
    await verify(token);
    vi.setSystemTime(START.getTime() + 3_000);
    const expected = await freshAnswer(token);
    expect(expected).toHaveProperty('error');
    expect(await answerOf(verify(token))).toEqual(expected);
  });

  it('is refused once it is older than the maximum token age, as a fresh check refuses it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const token = await sign({});
    const verify = verifier({ maxTokenAgeSeconds: 5 });
    await verify(token);
    vi.setSystemTime(START.getTime() + 6_000);
    const expected = await freshAnswer(token, { maxTokenAgeSeconds: 5 });
    expect(expected).toHaveProperty('error');
    expect(await answerOf(verify(token))).toEqual(expected);
  });

  it('is only ever that exact token: the same claims under another signature are checked and refused', async () => {
    const verify = verifier();
    const claims = { sub: 'matcher', exp: seconds() + 3600, iat: seconds() };
    await verify(await sign(claims));
    const forged = await sign(claims, 'another-secret-of-at-least-32-bytes-long!');
    await expect(verify(forged)).rejects.toThrow('signature verification failed');
  });

  it('is never a refusal: a refused token is checked again each time', async () => {
    const verify = verifier();
    const forged = await sign({ sub: 'matcher' }, 'another-secret-of-at-least-32-bytes-long!');
    const checks = signatureChecks();
    await expect(verify(forged)).rejects.toThrow('signature verification failed');
    await expect(verify(forged)).rejects.toThrow('signature verification failed');
    expect(checks()).toBe(2);
  });
});

describe('the verified-token memory itself', () => {
  const T0 = Date.parse('2026-11-30T12:00:00Z');
  const at = (clock: { now: number }) => () => clock.now;
  const payload = (claims: JWTPayload): JWTPayload => ({ sub: 'user-1', ...claims });

  it('trusts a token until the moment it expires, when that comes within the minute', () => {
    const clock = { now: T0 };
    const memory = verifiedTokens(undefined, at(clock));
    const claims = payload({ exp: T0 / 1000 + 10 });
    memory.keep('token', claims);
    clock.now = T0 + 9_999;
    expect(memory.get('token')).toBe(claims);
    clock.now = T0 + 10_000;
    expect(memory.get('token')).toBeUndefined();
  });

  it('trusts a token no longer than its iat plus the maximum token age', () => {
    const clock = { now: T0 };
    const memory = verifiedTokens(110, at(clock));
    const claims = payload({ exp: T0 / 1000 + 3600, iat: T0 / 1000 - 100 });
    memory.keep('token', claims);
    clock.now = T0 + 9_999;
    expect(memory.get('token')).toBe(claims);
    clock.now = T0 + 10_000;
    expect(memory.get('token')).toBeUndefined();
  });

  it('trusts a token for a minute at most, and one without exp not at all', () => {
    const clock = { now: T0 };
    const memory = verifiedTokens(undefined, at(clock));
    memory.keep('long-lived', payload({ exp: T0 / 1000 + 86_400 }));
    memory.keep('no-exp', payload({}));
    expect(memory.get('no-exp')).toBeUndefined();
    clock.now = T0 + VERIFIED_TOKEN_TTL_MS - 1;
    expect(memory.get('long-lived')).toBeDefined();
    clock.now = T0 + VERIFIED_TOKEN_TTL_MS;
    expect(memory.get('long-lived')).toBeUndefined();
  });

  it('holds 1 000 tokens at most: the next one starts it over', () => {
    const memory = verifiedTokens(undefined, () => T0);
    const claims = payload({ exp: T0 / 1000 + 3600 });
    for (let i = 0; i < 1_000; i++) memory.keep(`token-${i}`, claims);
    expect(memory.get('token-0')).toBe(claims);
    memory.keep('token-1000', claims);
    expect(memory.get('token-0')).toBeUndefined();
    expect(memory.get('token-1000')).toBe(claims);
  });
});
