import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { captureOutput } from '../../support/capture-output.ts';
import { validBody } from '../../support/service.ts';
import { startMultiTenantFetcher, TENANT_SECRET_PREFIX, tenantOfToken, type MultiTenantFetcher } from '../../support/tenant-identity.ts';

/** FETCHER_AUTH=client_credentials with MULTI_TENANT=true: a token per tenant, from the tenant's own secret. */
let m: MultiTenantFetcher | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const start = async (options: Parameters<typeof startMultiTenantFetcher>[0]) => (m = await startMultiTenantFetcher(options));

const create = async (tenantId: string, body = validBody()) => m!.service.invoke({ body, token: await m!.service.token({ tenantId }) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-tenant Fetcher identity', () => {
  it("sends each tenant's Fetcher calls with that tenant's own token", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const f = await start({ tenants: [a, b] });
    const { service } = f;
    const tokensOf = (tenant: string) => f.tokensOf(tenant);
    for (const tenant of [a, b, a, b]) expect((await create(tenant)).status).toBe(201);
    const creates = service.fetcher.requests.filter((r) => r.route === 'create');
    expect(creates.map((r) => tenantOfToken(r.headers.authorization))).toEqual([a, b, a, b]);
    expect(creates.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${tokensOf(a)[0]}`,
      `Bearer ${tokensOf(b)[0]}`,
      `Bearer ${tokensOf(a)[0]}`,
      `Bearer ${tokensOf(b)[0]}`,
    ]);
    expect(service.fetcher.connections(a)).toHaveLength(2);
    expect(service.fetcher.connections(b)).toHaveLength(2);
  });

  it('reads each secret once and asks for each token once under concurrency (single flight per tenant)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const f = await start({ tenants: [a, b], secretsOptions: { delayMs: 300 }, tokenDelayMs: 200 });
    const answers = await Promise.all([...Array.from({ length: 8 }, () => create(a)), ...Array.from({ length: 4 }, () => create(b))]);
    expect(answers.map((x) => x.status)).toEqual(Array(12).fill(201));
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${a}`)).toBe(1);
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${b}`)).toBe(1);
    expect(f.tokens.requestsOf(f.clientOf(a).clientId)).toBe(1);
    expect(f.tokens.requestsOf(f.clientOf(b).clientId)).toBe(1);
  });

  it('caches the token until shortly before it expires, and reads the secret again only once its TTL has passed', async () => {
    const a = randomUUID();
    // A 2 s token is refreshed after half its life; the secret is kept 300 s (the default).
    const f = await start({ tenants: [a], expiresIn: 2 });
    for (let i = 0; i < 3; i++) expect((await create(a)).status).toBe(201);
    expect(f.tokens.requestsOf(f.clientOf(a).clientId)).toBe(1);
    await sleep(1_100);
    expect((await create(a)).status).toBe(201);
    expect(f.tokens.requestsOf(f.clientOf(a).clientId)).toBe(2);
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${a}`)).toBe(1);
  });

  it('reads the secret again after FETCHER_TENANT_SECRET_TTL_S', async () => {
    const a = randomUUID();
    const f = await start({ tenants: [a], expiresIn: 2, env: { FETCHER_TENANT_SECRET_TTL_S: '1' } });
    expect((await create(a)).status).toBe(201);
    await sleep(1_100);
    expect((await create(a)).status).toBe(201);
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${a}`)).toBe(2);
  });

  it("after a 401 drops that tenant's token and asks for a new one once, leaving other tenants' tokens alone", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const f = await start({ tenants: [a, b] });
    expect((await create(a)).status).toBe(201);
    expect((await create(b)).status).toBe(201);
    f.tokens.revoke(f.tokensOf(a)[0]!);
    const sent = f.service.fetcher.requests.length;
    const body = validBody();
    expect((await create(a, body)).status).toBe(201);
    const retried = f.service.fetcher.requests.slice(sent);
    expect(retried.map((r) => r.headers.authorization)).toEqual([`Bearer ${f.tokensOf(a)[0]}`, `Bearer ${f.tokensOf(a)[1]}`]);
    expect(f.service.fetcher.connections(a).filter((c) => c.configName === body.configName)).toHaveLength(1);
    expect(f.tokens.requestsOf(f.clientOf(a).clientId)).toBe(2);
    expect((await create(b)).status).toBe(201);
    expect(f.tokens.requestsOf(f.clientOf(b).clientId)).toBe(1);
  });

  it('tries only once more when Fetcher refuses the fresh token too: 502 MTCH-0207', async () => {
    const a = randomUUID();
    const f = await start({ tenants: [a] });
    expect((await create(a)).status).toBe(201);
    f.service.fetcher.inject('create', { status: 401, body: 'Invalid Token', headers: { 'Content-Type': 'text/plain' }, tenant: a });
    const sent = f.service.fetcher.calls('create');
    const answer = await create(a);
    expect(answer.status, answer.raw).toBe(502);
    expect(answer.body.code).toBe('MTCH-0207');
    expect(f.service.fetcher.calls('create') - sent).toBe(2);
    expect(f.tokens.requestsOf(f.clientOf(a).clientId)).toBe(2);
  });

  it('answers a tenant without credentials 503 naming no secret, and logs the tenant id', async () => {
    const [a, lost] = [randomUUID(), randomUUID()];
    const f = await start({ tenants: [a] });
    const output = captureOutput();
    const answer = await create(lost);
    expect(answer.status, answer.raw).toBe(503);
    expect(answer.body).toMatchObject({ status: 503, code: 'MTCH-0203' });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.raw).not.toMatch(/secret|arn:|fetcher-client|ResourceNotFound/i);
    expect(answer.raw).not.toContain(TENANT_SECRET_PREFIX);
    expect(f.service.fetcher.requests.filter((r) => r.route !== 'health')).toEqual([]);
    expect(f.tokens.requests()).toBe(0);
    const logged = output.records().filter((r) => r.tenantId === lost && r.level === 'ERROR');
    expect(logged.map((r) => r.message)).toContain('fetcher credentials of the tenant could not be read');
    // The failure is not kept: once an operator adds the secret, the next call succeeds.
    f.secrets.set(`${TENANT_SECRET_PREFIX}${lost}`, { SecretString: JSON.stringify({ clientId: 'unknown', clientSecret: 'x' }) });
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${lost}`)).toBe(1);
    expect((await create(lost)).status).toBe(502); // read again; the token service does not know that client
    expect(f.secrets.readsOf(`${TENANT_SECRET_PREFIX}${lost}`)).toBe(2);
    // Another tenant was served all along.
    expect((await create(a)).status).toBe(201);
  });

  it("checks Fetcher's health (unauthenticated at Fetcher) without a tenant's credentials: a tenant without them still sees it healthy", async () => {
    const lost = randomUUID();
    const f = await start({ tenants: [randomUUID()] });
    const answer = await f.service.call('discovery-status', { token: await f.service.token({ tenantId: lost }) });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.fetcherHealthy).toBe(true);
    expect(f.secrets.calls).toEqual([]);
    expect(f.tokens.requests()).toBe(0);
    const health = f.service.fetcher.requests.filter((r) => r.route === 'health');
    expect(health).toHaveLength(1);
    expect(health[0]!.headers.authorization).toBeUndefined();
  });

  it("runs a tenant's sync (the worker) with that tenant's token, into that tenant's cache only", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const f = await start({ tenants: [a, b] });
    const day = 86_400_000;
    f.service.fetcher.seed([{ configName: 'a-seeded', createdAt: new Date(Date.now() - day).toISOString() }], a);
    f.service.fetcher.seed([{ configName: 'b-seeded', createdAt: new Date(Date.now() - 40 * day).toISOString() }], b);
    const names = async (tenant: string) =>
      (await f.service.cacheItems(tenant)).filter((i) => String(i.sk).startsWith('CONN#')).map((i) => i.configName);
    // The use case alone, for A: every Fetcher call it makes carries A's token.
    let sent = f.service.fetcher.requests.length;
    expect((await f.service.sync(a)).connectionsSynced).toBe(1);
    const forA = f.service.fetcher.requests.slice(sent).filter((r) => r.route !== 'health');
    expect(forA.filter((r) => r.route === 'list').length).toBeGreaterThanOrEqual(1);
    expect(forA.map((r) => tenantOfToken(r.headers.authorization))).toEqual(forA.map(() => a));
    // The worker, for B: every call carries B's token, and B's cache gets B's connection only.
    sent = f.service.fetcher.requests.length;
    expect((await f.service.runWorker([b])).batchItemFailures).toEqual([]);
    const forB = f.service.fetcher.requests.slice(sent).filter((r) => r.route !== 'health');
    expect(forB.filter((r) => r.route === 'list').length).toBeGreaterThanOrEqual(1);
    expect(forB.map((r) => tenantOfToken(r.headers.authorization))).toEqual(forB.map(() => b));
    expect(await names(a)).toEqual(['a-seeded']);
    expect(await names(b)).toEqual(['b-seeded']);
  });
});
