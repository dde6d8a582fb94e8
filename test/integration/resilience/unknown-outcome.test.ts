import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '400' });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service.stop());

const requestsSince = (start: number) => service.fetcher.requests.slice(start);

describe('unknown outcome of a create', () => {
  it.each([
    ['times out after Fetcher stored it', { phase: 'after' as const, delayMs: 2_000, times: 1 }],
    ['is cut after Fetcher stored it', { phase: 'after' as const, action: 'reset' as const, times: 1 }],
    ['is cut mid-answer after Fetcher stored it', { phase: 'after' as const, action: 'truncate' as const, times: 1 }],
  ])('%s: looks it up by matcherRequestId and answers 201 as if nothing happened', async (_, fault) => {
    service.fetcher.inject('create', fault);
    const start = service.fetcher.requests.length;
    const body = validBody();
    const answer = await service.invoke({ body });

    expect(answer.status).toBe(201);
    const stored = service.fetcher.connections().find((c) => c.configName === body.configName)!;
    expect(answer.body.id).toBe(connectionId('default', stored.id));
    expect((await service.cacheItems()).some((item) => item.id === answer.body.id)).toBe(true);

    const [create, lookup] = requestsSince(start);
    expect(create!.route).toBe('create');
    expect(lookup!.route).toBe('list');
    const requestId = (create!.body as { metadata: { matcherRequestId: string } }).metadata.matcherRequestId;
    expect(lookup!.path).toContain(`metadata.matcherRequestId=${requestId}`);
    expect(lookup!.headers['x-product-name']).toBe('matcher');
    expect(requestsSince(start).filter((r) => r.route === 'create')).toHaveLength(1); // never sent twice
  });

  it('answers 504 when the lookup finds nothing (Fetcher never stored it)', async () => {
    service.fetcher.inject('create', { delayMs: 2_000, times: 1 });
    const start = service.fetcher.requests.length;
    const body = validBody();
    const answer = await service.invoke({ body });
    expect(answer.status).toBe(504);
    expect(answer.body.code).toBe('MTCH-0208');
    expect(requestsSince(start).map((r) => r.route)).toEqual(['create', 'list']);
    expect(service.fetcher.connections().some((c) => c.configName === body.configName)).toBe(false);
  });

  it('does not take another connection for ours when Fetcher ignores the filter', async () => {
    const other = await service.invoke({ body: validBody() });
    expect(other.status).toBe(201);
    const everything = service.fetcher.connections().map((c) => ({ ...c, metadata: c.metadata }));
    service.fetcher.inject('list', { status: 200, body: { items: everything, page: 1, limit: 10, total: everything.length }, times: 3 });
    service.fetcher.inject('create', { action: 'reset', times: 1 });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
  });

  it('does not look anything up when nothing can have arrived (connection refused, redirect)', async () => {
    service.fetcher.inject('create', { action: 'redirect', status: 307, location: '/elsewhere', times: 1 });
    const start = service.fetcher.requests.length;
    expect((await service.invoke({ body: validBody() })).status).toBe(502);
    expect(requestsSince(start).map((r) => r.route)).toEqual(['create']);
  });

  it('retries the lookup when Fetcher is briefly unavailable', async () => {
    service.fetcher.inject('create', { phase: 'after', action: 'reset', times: 1 });
    service.fetcher.inject('list', { status: 503, body: {}, times: 1 });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(201);
  });
});

describe('unknown outcome while the circuit opens', () => {
  let fragile: TestService;
  beforeAll(async () => {
    fragile = await startService({ FETCHER_TIMEOUT_MS: '400', FETCHER_BREAKER_THRESHOLD: '1', FETCHER_BREAKER_COOLDOWN_MS: '60000' });
  });
  afterAll(() => fragile.stop());

  it('still looks the create up when its own timeout is what opened the circuit', async () => {
    fragile.fetcher.inject('create', { phase: 'after', delayMs: 2_000, times: 1 });
    const body = validBody();
    const answer = await fragile.invoke({ body });
    expect(answer.status).toBe(201);
    expect(fragile.fetcher.requests.map((r) => r.route)).toEqual(['create', 'list']);
    // The circuit did open: the next create is refused without reaching Fetcher.
    expect((await fragile.invoke({ body: validBody() })).status).toBe(503);
    expect(fragile.fetcher.requests.filter((r) => r.route === 'create')).toHaveLength(1);
  });
});

describe('a lookup that hangs too', () => {
  let slow: TestService;
  beforeAll(async () => {
    slow = await startService({ FETCHER_TIMEOUT_MS: '5000' });
  });
  afterAll(() => slow.stop());

  it('answers 504 within the create timeout plus the lookup budget, not three more timeouts', async () => {
    slow.fetcher.inject('create', { delayMs: 20_000, times: 1 });
    slow.fetcher.inject('list', { delayMs: 20_000 });
    const started = Date.now();
    const answer = await slow.invoke({ body: validBody() });
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(504);
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(5_000 + 3_000 + 2_000); // without the budget: 5 s + 3 x 5 s
  }, 30_000);
});
