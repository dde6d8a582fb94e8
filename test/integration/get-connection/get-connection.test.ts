import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedConnection } from '../../../functions/discovery/connection.ts';
import { detailSchema } from '../../support/detail-schema.ts';
import { partialCache } from '../../support/partial-ports.ts';
import { startService, validBody, type Answer, type CallOptions, type TestService } from '../../support/service.ts';

const VIEW_FIELDS = ['id', 'configName', 'databaseType', 'status', 'schemaDiscovered', 'lastSeenAt'];

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service?.stop());

const get = (connectionId: string, options: CallOptions = {}, on: TestService = service) =>
  on.call('get-connection', { pathParameters: { connectionId }, ...options });

const created = async (token?: string, on: TestService = service): Promise<Record<string, unknown>> => {
  const answer = await on.invoke({ body: validBody(), ...(token ? { token } : {}) });
  expect(answer.status, answer.raw).toBe(201);
  return answer.body;
};

/** A problem+json answer that follows the published Detail schema. */
const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(detailSchema.safeParse(answer.body).success, answer.raw).toBe(true);
  expect(answer.body).toMatchObject({ status, code });
};

describe('GET /v1/discovery/connections/{connectionId}', () => {
  it('answers 200 with exactly the six fields of the connection a create answered, without calling Fetcher', async () => {
    const connection = await created();
    const fetcherCalls = service.fetcher.requests.length;
    const answer = await get(String(connection.id));
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(Object.keys(answer.body).sort()).toEqual([...VIEW_FIELDS].sort());
    expect(answer.body).toEqual(connection);
    expect(service.fetcher.requests).toHaveLength(fetcherCalls);
  });

  it('finds the connection by its id in any letter case', async () => {
    const connection = await created();
    const id = String(connection.id);
    const mixed = [...id].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    for (const spelling of [id.toUpperCase(), mixed]) {
      const answer = await get(spelling);
      expect(answer.status, answer.raw).toBe(200);
      expect(answer.body).toEqual(connection);
    }
  });

  it('answers 404 MTCH-0201 problem+json for a UUID nobody has', async () => {
    expectProblem(await get(randomUUID()), 404, 'MTCH-0201');
  });

  it('answers 422 MTCH-0005 naming path.connectionId for an id that is not a UUID', async () => {
    const answer = await get('not-a-uuid');
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ location: 'path.connectionId', message: expect.any(String) });
  });

  it('answers 401 MTCH-0003 without a token', async () => {
    const answer = await get(randomUUID(), { anonymous: true });
    expectProblem(answer, 401, 'MTCH-0003');
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="matcher"');
  });

  it('answers 403 MTCH-0004 naming discovery:read to a token with neither discovery:read nor discovery:write', async () => {
    const connection = await created();
    const answer = await get(String(connection.id), { token: await service.token({ scope: 'openid profile' }) });
    expectProblem(answer, 403, 'MTCH-0004');
    expect(answer.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:read"');
  });

  it('serves a token with discovery:read only, while the create route still requires discovery:write', async () => {
    const connection = await created();
    const reader = await service.token({ scope: 'discovery:read' });
    const answer = await get(String(connection.id), { token: reader });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toEqual(connection);

    const refused = await service.invoke({ body: validBody(), token: reader });
    expectProblem(refused, 403, 'MTCH-0004');
    expect(refused.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:write"');
  });

  it('reads through the cache adapter a test provides, as every route of the service does', async () => {
    const id = randomUUID();
    const cached: CachedConnection = {
      tenantId: 'default',
      id,
      fetcherConnectionId: randomUUID(),
      configName: 'from-the-adapter',
      databaseType: 'MYSQL',
      host: 'db.example.com',
      port: 3306,
      databaseName: 'ledger',
      userName: 'matcher_ro',
      status: 'AVAILABLE',
      schemaDiscovered: false,
      lastSeenAt: new Date('2026-01-02T03:04:05.678Z'),
    };
    const asked: string[] = [];
    const cache = partialCache({
      findConnection: async (wanted: string) => {
        asked.push(wanted);
        return wanted === id ? cached : undefined;
      },
    });
    const scripted = await startService({}, { adapters: { cache } });
    try {
      const answer = await get(id.toUpperCase(), {}, scripted);
      expect(answer.status, answer.raw).toBe(200);
      expect(answer.body).toEqual({
        id,
        configName: 'from-the-adapter',
        databaseType: 'MYSQL',
        status: 'AVAILABLE',
        schemaDiscovered: false,
        lastSeenAt: '2026-01-02T03:04:05.678Z',
      });
      expect(asked).toEqual([id]);
    } finally {
      await scripted.stop();
    }
  });
});

describe('GET /v1/discovery/connections/{connectionId} with MULTI_TENANT=true', () => {
  let multi: TestService;
  // Fresh tenants each run, so a second run against the same tables starts from nothing.
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  beforeAll(async () => {
    multi = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  });
  afterAll(() => multi?.stop());

  it('answers 404 MTCH-0201 for an id that exists only in another tenant, and 200 in its own', async () => {
    const connection = await created(await multi.token({ tenantId: tenantA }), multi);
    expectProblem(await get(String(connection.id), { token: await multi.token({ tenantId: tenantB }) }, multi), 404, 'MTCH-0201');

    const own = await get(String(connection.id), { token: await multi.token({ tenantId: tenantA }) }, multi);
    expect(own.status, own.raw).toBe(200);
    expect(own.body).toEqual(connection);
    expect((await multi.cacheItems(tenantA)).some((item) => item.id === connection.id)).toBe(true);
  });

  it('puts the tenant in the claim TENANT_CLAIM names', async () => {
    const custom = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true', TENANT_CLAIM: 'org' });
    try {
      const token = await custom.token({ tenantId: tenantA });
      const connection = await created(token, custom);
      const answer = await get(String(connection.id), { token }, custom);
      expect(answer.status, answer.raw).toBe(200);
      expect((await custom.cacheItems(tenantA)).some((item) => item.id === connection.id)).toBe(true);
    } finally {
      await custom.stop();
    }
  });
});
