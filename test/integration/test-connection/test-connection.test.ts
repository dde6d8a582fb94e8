import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailSchema } from '../../support/detail-schema.ts';
import { startService, validBody, type Answer, type CallOptions, type TestService } from '../../support/service.ts';

let clock = Date.now();
let service: TestService;
beforeAll(async () => {
  // The emulator's clock drives Fetcher's limit of 10 tests a minute per connection.
  service = await startService({}, { fetcher: { emulator: { now: () => new Date(clock) } } });
});
afterAll(() => service?.stop());

const test = (connectionId: string, options: CallOptions = {}, on: TestService = service) =>
  on.call('test-connection', { pathParameters: { connectionId }, ...options });

/** A connection created through the create route: our id, and the fake Fetcher's id for it. */
const created = async (on: TestService = service, options: CallOptions = {}) => {
  const body = validBody();
  const answer = await on.call('create-connection', { body, ...options });
  expect(answer.status, answer.raw).toBe(201);
  const tenant = options.token ? undefined : 'default';
  const fetcherId = on.fetcher.connections(tenant).find((c) => c.configName === body.configName)?.id;
  return { id: String(answer.body.id), configName: body.configName, fetcherId };
};

const testsSent = (on: TestService, fetcherId?: string) =>
  on.fetcher.requests.filter((r) => r.route === 'test' && (!fetcherId || r.path.includes(fetcherId))).length;

const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(detailSchema.safeParse(answer.body).success, answer.raw).toBe(true);
  expect(answer.body).toMatchObject({ status, code });
};

describe('POST /v1/discovery/connections/{connectionId}/test', () => {
  it("answers 200 {connectionId, healthy: true, latencyMs} after Fetcher's POST /:id/test on the connection's Fetcher id", async () => {
    const { id, fetcherId } = await created();
    const answer = await test(id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({ connectionId: id, healthy: true, latencyMs: 3 });
    const sent = service.fetcher.requests.filter((r) => r.route === 'test').at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: `/v1/management/connections/${fetcherId}/test` });
    expect(sent.headers['x-product-name']).toBe('matcher');
  });

  it('answers 200 healthy: false with errorMessage exactly "connection test failed" when the database cannot be dialled', async () => {
    const { id, configName } = await created();
    service.fetcher.setDatabase(configName, 'down');
    const answer = await test(id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toEqual({
      connectionId: id,
      healthy: false,
      latencyMs: expect.any(Number),
      errorMessage: 'connection test failed',
    });
    expect(Number.isInteger(answer.body.latencyMs) && answer.body.latencyMs >= 0).toBe(true);
    // Fetcher's text names the adapter, hosts and credentials: none of it is passed on.
    for (const word of ['adapter', 'Database Connection Error', 'credentials', 'db.example.com', '500'])
      expect(answer.raw).not.toContain(word);

    service.fetcher.setDatabase(configName, 'up');
    expect((await test(id)).body).toEqual({ connectionId: id, healthy: true, latencyMs: 3 });
  });

  it("answers 429 MTCH-0210 with Retry-After taken from Fetcher's message once a connection was tested 10 times in a minute", async () => {
    const { id, fetcherId } = await created();
    for (let i = 0; i < 10; i++) {
      expect((await test(id)).status).toBe(200);
      clock += 2_000;
    }
    const answer = await test(id);
    expectProblem(answer, 429, 'MTCH-0210');
    // The oldest test leaves Fetcher's one-minute window in 60 - 20 = 40 seconds.
    expect(answer.headers['retry-after']).toBe('40');
    expect(answer.raw).not.toContain('Connection test limit');
    expect(testsSent(service, fetcherId)).toBe(11);
  });

  it("answers 429 MTCH-0210 with a Retry-After of a minute when Fetcher's message says no wait", async () => {
    const { id } = await created();
    service.fetcher.inject('test', {
      status: 429,
      body: { code: 429, title: 'Rate Limit Exceeded', message: 'Too many requests.' },
      times: 1,
    });
    const answer = await test(id);
    expectProblem(answer, 429, 'MTCH-0210');
    expect(answer.headers['retry-after']).toBe('60');
  });

  it("keeps Fetcher's other calls going while one connection is over its test limit: a 429 of the test route is no Fetcher fault", async () => {
    const limited = await created();
    const other = await created();
    service.fetcher.inject('test', {
      status: 429,
      body: { code: 429, title: 'Rate Limit Exceeded', message: 'Connection test limit reached. Try again in 7 seconds.' },
      times: 8,
    });
    for (let i = 0; i < 8; i++) expectProblem(await test(limited.id), 429, 'MTCH-0210');
    const answer = await test(other.id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.healthy).toBe(true);
    expect((await service.call('create-connection', { body: validBody() })).status).toBe(201);
  });

  it('answers 503 MTCH-0203 with Retry-After when Fetcher answers 503', async () => {
    const { id } = await created();
    service.fetcher.inject('test', { status: 503, body: { code: 'FET-0002', title: 'Service Unavailable', message: 'down' }, times: 1 });
    const answer = await test(id);
    expectProblem(answer, 503, 'MTCH-0203');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 404 MTCH-0201 when Fetcher no longer holds the connection', async () => {
    const { id } = await created();
    service.fetcher.inject('test', {
      status: 404,
      body: { code: 'FET-1001', title: 'Entity Not Found', message: 'It was not possible to find the connection entity.' },
      times: 1,
    });
    expectProblem(await test(id), 404, 'MTCH-0201');
  });

  it('answers 404 MTCH-0201 for a connection nobody has, without calling Fetcher', async () => {
    const before = service.fetcher.requests.length;
    expectProblem(await test(randomUUID()), 404, 'MTCH-0201');
    expect(service.fetcher.requests.slice(before)).toEqual([]);
  });

  it('answers 422 MTCH-0005 at path.connectionId for an id that is not a UUID, without calling Fetcher', async () => {
    const before = service.fetcher.requests.length;
    const answer = await test('not-a-uuid');
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toEqual([{ location: 'path.connectionId', message: 'expected uuid', value: 'not-a-uuid' }]);
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('needs discovery:write: a discovery:read token is 403 MTCH-0004 and Fetcher is not called', async () => {
    const { id, fetcherId } = await created();
    const answer = await test(id, { token: await service.token({ scope: 'discovery:read' }) });
    expectProblem(answer, 403, 'MTCH-0004');
    expect(answer.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:write"');
    expect(testsSent(service, fetcherId)).toBe(0);
    expectProblem(await test(id, { anonymous: true }), 401, 'MTCH-0003');
  });
});

describe('POST /v1/discovery/connections/{connectionId}/test when Fetcher is down', () => {
  let down: TestService;
  beforeAll(async () => {
    down = await startService();
  });
  afterAll(() => down?.stop());

  it('answers 503 MTCH-0203 with Retry-After when Fetcher cannot be reached', async () => {
    const { id } = await created(down);
    await down.fetcher.stop();
    const answer = await test(id, {}, down);
    expectProblem(answer, 503, 'MTCH-0203');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('POST /v1/discovery/connections/{connectionId}/test with MULTI_TENANT=true', () => {
  let multi: TestService;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  beforeAll(async () => {
    multi = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  });
  afterAll(() => multi?.stop());

  it("answers 404 MTCH-0201 for another tenant's connection, without calling Fetcher, and 200 in its own", async () => {
    const ownToken = await multi.token({ tenantId: tenantA });
    const answer = await multi.call('create-connection', { body: validBody(), token: ownToken });
    expect(answer.status, answer.raw).toBe(201);
    const before = multi.fetcher.requests.length;
    expectProblem(await test(answer.body.id, { token: await multi.token({ tenantId: tenantB }) }, multi), 404, 'MTCH-0201');
    expect(multi.fetcher.requests.length).toBe(before);
    expect((await test(answer.body.id, { token: ownToken }, multi)).body.healthy).toBe(true);
  });
});
