import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFetcher, type FakeFetcher } from '../../doubles/fake-fetcher.ts';
import { validBody } from '../../support/service.ts';
import { startMultiTenantFetcher, type MultiTenantFetcher } from '../../support/tenant-identity.ts';

/** The circuit breaker in multi-tenant mode: per tenant for what Fetcher answers, for everybody when Fetcher cannot be reached. */
let m: MultiTenantFetcher | undefined;
let replacement: FakeFetcher | undefined;
afterEach(async () => {
  await replacement?.stop();
  await m?.stop();
  m = replacement = undefined;
});

const BREAKER = { FETCHER_BREAKER_THRESHOLD: '2', FETCHER_BREAKER_COOLDOWN_MS: '60000' };

const create = async (tenantId: string) => m!.service.invoke({ body: validBody(), token: await m!.service.token({ tenantId }) });

describe('circuit breakers per tenant', () => {
  it("opens for a tenant whose Fetcher tenant keeps failing, and not for another tenant's calls", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    m = await startMultiTenantFetcher({ tenants: [a, b], env: BREAKER });
    m.service.fetcher.inject('create', { status: 500, body: {}, tenant: a });
    for (let i = 0; i < 2; i++) expect((await create(a)).status).toBe(502);
    const creates = m.service.fetcher.calls('create');
    const open = await create(a);
    expect(open.status, open.raw).toBe(503);
    expect(open.body.code).toBe('MTCH-0203');
    expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(m.service.fetcher.calls('create')).toBe(creates); // refused without calling Fetcher
    for (let i = 0; i < 3; i++) expect((await create(b)).status).toBe(201);
    expect(m.service.fetcher.calls('create')).toBe(creates + 3);
  });

  it('opens for every tenant when Fetcher itself cannot be reached (connection refused)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    m = await startMultiTenantFetcher({ tenants: [a, b], env: BREAKER });
    expect((await create(b)).status).toBe(201); // B's token is cached before the outage
    const port = Number(new URL(m.service.fetcher.url).port);
    await m.service.fetcher.stop();
    for (let i = 0; i < 2; i++) expect((await create(a)).status).toBe(503);
    // Fetcher is back on the same port, but the circuit is open for B too: B's call is not sent.
    const tokens = m.tokens;
    replacement = await startFakeFetcher({ port, token: (token) => tokens.valid(token) });
    const answer = await create(b);
    expect(answer.status, answer.raw).toBe(503);
    expect(answer.body).toMatchObject({ code: 'MTCH-0203', detail: 'Fetcher is failing; try again shortly.' });
    expect(replacement.requests).toEqual([]);
  });
});
