import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ SCHEMA_DISCOVERY_BUDGET_MS: '0' });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service.stop());

const createsSoFar = () => service.fetcher.requests.filter((r) => r.route === 'create').length;
const withKey = (key: string, body: object, token?: string) =>
  service.invoke({ body, headers: { 'idempotency-key': key }, ...(token ? { token } : {}) });

describe('Idempotency-Key', () => {
  it('replays the same 201 body with Idempotent-Replayed: true, and calls Fetcher once', async () => {
    const key = randomUUID();
    const body = validBody();
    const before = createsSoFar();
    const first = await withKey(key, body);
    const second = await withKey(key, body);
    expect(first.status).toBe(201);
    expect(first.headers).not.toHaveProperty('idempotent-replayed');
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(createsSoFar() - before).toBe(1);
  });

  it('replays the first answer byte for byte: the same body text, key order included, and the same headers', async () => {
    const key = randomUUID();
    const body = validBody();
    const first = await withKey(key, body);
    const replay = await withKey(key, body);
    expect(first.status).toBe(201);
    expect(replay.raw).toBe(first.raw);
    expect(Object.keys(replay.body)).toEqual(Object.keys(first.body));
    const { 'idempotent-replayed': replayed, ...headers } = replay.headers;
    expect(replayed).toBe('true');
    expect(headers).toEqual(first.headers);
  });

  it('answers 409 MTCH-0018 with Retry-After while the first request is in flight', async () => {
    service.fetcher.inject('create', { delayMs: 1_500, times: 1 });
    const key = randomUUID();
    const body = validBody();
    const before = createsSoFar();
    const first = withKey(key, body);
    // Once Fetcher has the first create, its in-progress record is surely stored.
    while (createsSoFar() === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await withKey(key, body);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('MTCH-0018');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect((await first).status).toBe(201);
  });

  it('answers 422 MTCH-0019 for the same key with a different body', async () => {
    const key = randomUUID();
    const body = validBody();
    expect((await withKey(key, body)).status).toBe(201);
    const answer = await withKey(key, { ...body, port: 5433 });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('MTCH-0019');
    const passwordOnly = await withKey(key, { ...body, password: 'another-password' });
    expect(passwordOnly.body.code).toBe('MTCH-0019');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'ключ-1'],
    ['a control character', 'key\u0007'],
  ])('answers 400 MTCH-0020 for a key that is %s, before calling Fetcher', async (_, key) => {
    const before = createsSoFar();
    const answer = await withKey(key, validBody());
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('MTCH-0020');
    expect(createsSoFar()).toBe(before);
  });

  it('accepts a key of 255 printable characters', async () => {
    // Unique per run: the same key with another body would be a 422 on a second run against the same table.
    const key = `${randomUUID()}-${'k'.repeat(218)}`;
    expect(key).toHaveLength(255);
    expect((await withKey(key, validBody())).status).toBe(201);
  });

  it.each([
    ['no sub', { sub: undefined }],
    ['a null sub', { sub: null }],
    ['a numeric sub', { sub: 42 }],
  ])('refuses an Idempotency-Key from a token with %s: tokens without a subject would share one namespace', async (_, claims) => {
    const answer = await withKey(`key-${randomUUID()}`, validBody(), await service.token({ claims: claims as never }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'MTCH-0020', detail: 'Idempotency-Key needs a token whose subject (sub) says who sent it.' });
    expect(answer.headers['retry-after']).toBeUndefined();
  });

  it('scopes keys to the subject: the same key from someone else is another request', async () => {
    const key = randomUUID();
    expect((await withKey(key, validBody(), await service.token({ subject: 'alice' }))).status).toBe(201);
    const bob = await withKey(key, validBody(), await service.token({ subject: 'bob' }));
    expect(bob.status).toBe(201);
    expect(bob.headers).not.toHaveProperty('idempotent-replayed');
  });

  it('does not store failures: the same key may try again', async () => {
    const key = randomUUID();
    const body = validBody();
    service.fetcher.inject('create', { status: 500, body: {}, times: 1 });
    expect((await withKey(key, body)).status).toBe(502);
    const retry = await withKey(key, body);
    expect(retry.status).toBe(201);
    expect(retry.headers).not.toHaveProperty('idempotent-replayed');
  });

  it('stores nothing that gives away the key, the body or the password, and expires in 24 h', async () => {
    const key = `order-${randomUUID()}`;
    const body = validBody({ password: 'CANARY-idem-pw-91c2' });
    const started = Math.floor(Date.now() / 1000);
    await withKey(key, body);
    const records = (await service.scanAll()).filter(
      (item) => typeof item.id === 'string' && String(item.id).startsWith('create-connection#'),
    );
    const text = JSON.stringify(records);
    expect(records.length).toBeGreaterThan(0);
    expect(text).not.toContain(key);
    expect(text).not.toContain('CANARY-idem-pw-91c2');
    const plain = ['md5', 'sha256'].map((algorithm) => createHash(algorithm).update(JSON.stringify(body)).digest('hex'));
    for (const hash of plain) expect(text).not.toContain(hash);
    const newest = records.sort((a, b) => Number(b.expiration) - Number(a.expiration))[0]!;
    expect(Number(newest.expiration) - started).toBeGreaterThanOrEqual(24 * 3600 - 5);
    expect(Number(newest.expiration) - started).toBeLessThanOrEqual(24 * 3600 + 60);
  });
});

describe('Idempotency-Key across tenants', () => {
  let multi: TestService;
  beforeAll(async () => {
    multi = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true', SCHEMA_DISCOVERY_BUDGET_MS: '0' });
  });
  afterAll(() => multi.stop());

  it('scopes keys to the tenant', async () => {
    const key = randomUUID();
    const first = await multi.invoke({
      body: validBody(),
      headers: { 'idempotency-key': key },
      token: await multi.token({ tenantId: randomUUID() }),
    });
    const second = await multi.invoke({
      body: validBody(),
      headers: { 'idempotency-key': key },
      token: await multi.token({ tenantId: randomUUID() }),
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers).not.toHaveProperty('idempotent-replayed');
  });
});
