import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../doubles/free-port.ts';
import { startFakeFetcher, type FakeFetcher } from '../../doubles/fake-fetcher.ts';
import { selfSignedCertificate } from '../../doubles/self-signed.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '500', FETCHER_MAX_RESPONSE_BYTES: '65536', FETCHER_BREAKER_THRESHOLD: '1000' });
  // Warm: the JWKS is fetched and the connections are open before anything is timed.
  await service.invoke({ body: validBody() });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service.stop());

const routeCount = (target: TestService, route: string) => target.fetcher.requests.filter((r) => r.route === route).length;

describe('Fetcher faults', () => {
  it('connection refused: 503 MTCH-0203 with Retry-After, quickly', async () => {
    const refused = await startService({ FETCHER_URL: `http://127.0.0.1:${await freePort()}` });
    try {
      const started = Date.now();
      const answer = await refused.invoke({ body: validBody() });
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('MTCH-0203');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(2_000); // refused at once, not after a timeout
    } finally {
      await refused.stop();
    }
  });

  it('slower than the timeout: 504 within the timeout plus a small margin', async () => {
    service.fetcher.inject('create', { delayMs: 3_000, times: 1 });
    const started = Date.now();
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(500 + 2_000); // 500 ms, a quick lookup, room for a loaded machine
  });

  it.each([
    ['reset before answering', { action: 'reset' as const }],
    ['cut mid-response', { action: 'truncate' as const }],
  ])('%s: 502 MTCH-0207, and the create is never sent twice', async (_, fault) => {
    service.fetcher.inject('create', { ...fault, times: 1 });
    const before = routeCount(service, 'create');
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
    expect(answer.body.code).toBe('MTCH-0207');
    expect(routeCount(service, 'create') - before).toBe(1);
  });

  it.each([500, 502])('%d: 502 MTCH-0207, one create only', async (status) => {
    service.fetcher.inject('create', { status, body: { code: 'FET-0002', title: 'Internal Server Error', message: 'x' }, times: 1 });
    const before = routeCount(service, 'create');
    expect((await service.invoke({ body: validBody() })).body.code).toBe('MTCH-0207');
    expect(routeCount(service, 'create') - before).toBe(1);
  });

  it.each([
    [503, '30', '30'],
    [429, '7', '7'],
    [503, 'Wed, 21 Oct 2015 07:28:00 GMT', '1'],
    [429, undefined, '5'],
  ])('%d with Retry-After %j: 503 MTCH-0203 carrying %s', async (status, retryAfter, expected) => {
    service.fetcher.inject('create', {
      status,
      body: { code: status },
      headers: retryAfter ? { 'Retry-After': retryAfter } : {},
      times: 1,
    });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('MTCH-0203');
    expect(answer.headers['retry-after']).toBe(expected);
  });

  it.each([
    ['a malformed body', { action: 'malformed' as const }],
    ['an oversized body', { action: 'oversized' as const, bytes: 200_000 }],
    ['a body that is not a connection', { status: 201, body: { id: 42 } }],
    ['an empty body', { status: 201 }],
  ])('a 2xx with %s: 502 MTCH-0207', async (_, fault) => {
    service.fetcher.inject('create', { ...fault, times: 1 });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
    expect(answer.body.code).toBe('MTCH-0207');
  });

  describe('redirects are never followed', () => {
    let target: FakeFetcher;
    beforeAll(async () => {
      target = await startFakeFetcher();
    });
    afterAll(() => target.stop());

    it.each([307, 308])('%d: 502 and the redirect target receives nothing', async (status) => {
      service.fetcher.inject('create', { action: 'redirect', status, location: `${target.url}/v1/management/connections`, times: 1 });
      const answer = await service.invoke({ body: validBody() });
      expect(answer.status).toBe(502);
      expect(answer.body.code).toBe('MTCH-0207');
      expect(target.requests).toEqual([]);
    });
  });

  it('an untrusted TLS certificate: 502, and the body is never sent', async () => {
    const untrusted = await startFakeFetcher({ tls: selfSignedCertificate() });
    const secure = await startService({ FETCHER_URL: untrusted.url });
    try {
      expect(untrusted.url).toMatch(/^https:/);
      const answer = await secure.invoke({ body: validBody() });
      expect([502, 503]).toContain(answer.status);
      expect(untrusted.requests).toEqual([]);
    } finally {
      await Promise.all([untrusted.stop(), secure.stop()]);
    }
  });
});

describe('reads are retried, creates never blindly', () => {
  it('retries the schema read after 503s with backoff, and succeeds', async () => {
    service.fetcher.inject('schema', { status: 503, body: {}, times: 2 });
    const before = routeCount(service, 'schema');
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(201);
    expect(answer.body.schemaDiscovered).toBe(true);
    expect(routeCount(service, 'schema') - before).toBe(3);
  });

  it('does not retry a schema read that fails because the database is down', async () => {
    const body = validBody();
    service.fetcher.setSchema(body.configName, 'connect-error');
    const before = routeCount(service, 'schema');
    expect((await service.invoke({ body })).body.schemaDiscovered).toBe(false);
    expect(routeCount(service, 'schema') - before).toBe(1);
  });

  it('gives up on the schema within its budget', async () => {
    service.fetcher.inject('schema', { status: 500, body: {} });
    const started = Date.now();
    const answer = await service.invoke({ body: validBody() });
    expect(answer.body.schemaDiscovered).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000 + 2_000); // the 1 s budget, not the retries' full course
  });
});

describe('circuit breaker', () => {
  let breaking: TestService;
  beforeAll(async () => {
    breaking = await startService({ FETCHER_BREAKER_THRESHOLD: '3', FETCHER_BREAKER_COOLDOWN_MS: '1500', SCHEMA_DISCOVERY_BUDGET_MS: '0' });
  });
  afterAll(() => breaking.stop());

  it('opens after repeated failures, fails fast while open, then half-opens and closes', async () => {
    breaking.fetcher.inject('create', { status: 500, body: {}, times: 3 });
    for (let i = 0; i < 3; i++) expect((await breaking.invoke({ body: validBody() })).status).toBe(502);
    const creates = routeCount(breaking, 'create');

    const open = await breaking.invoke({ body: validBody() });
    expect(open.status).toBe(503);
    expect(open.body.code).toBe('MTCH-0203');
    expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(routeCount(breaking, 'create')).toBe(creates); // refused without calling Fetcher

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await breaking.invoke({ body: validBody() })).status).toBe(201); // the half-open trial
    expect((await breaking.invoke({ body: validBody() })).status).toBe(201); // closed again
  });

  it('re-opens when the half-open trial fails', async () => {
    breaking.fetcher.inject('create', { status: 503, body: {}, times: 4 });
    for (let i = 0; i < 3; i++) await breaking.invoke({ body: validBody() });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await breaking.invoke({ body: validBody() })).status).toBe(503); // trial reaches Fetcher, fails
    const creates = routeCount(breaking, 'create');
    expect((await breaking.invoke({ body: validBody() })).status).toBe(503); // open again: not sent
    expect(routeCount(breaking, 'create')).toBe(creates);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await breaking.invoke({ body: validBody() })).status).toBe(201);
  });

  it('does not count refusals (409, 422) as failures', async () => {
    const body = validBody();
    await breaking.invoke({ body });
    for (let i = 0; i < 5; i++) expect((await breaking.invoke({ body })).status).toBe(409);
    expect((await breaking.invoke({ body: validBody() })).status).toBe(201);
  });
});
