import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnection,
  expectProblem,
  getConnection,
  patchConnection,
  VIEW_FIELDS,
  type Created,
} from '../../support/connection-changes.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service?.stop());

const patch = (id: string, body: unknown, options = {}) => patchConnection(service, id, body, options);
const created = (overrides: Record<string, unknown> = {}) => createConnection(service, overrides);
const updatesSent = () => service.fetcher.calls('update');
const inFetcher = (connection: Created) => service.fetcher.connections().find((c) => c.id === connection.fetcherId);
const cachedItem = async (id: string) => (await service.cacheItems()).find((item) => item.sk === `CONN#${id}`);

/** A 422 MTCH-0005 naming exactly these places, after which Fetcher was not asked to change anything. */
const expectInvalid = async (id: string, body: unknown, errors: unknown[]) => {
  const before = service.fetcher.requests.length;
  const answer = await patch(id, body);
  expectProblem(answer, 422, 'MTCH-0005');
  expect(answer.body.errors).toEqual(errors);
  expect(service.fetcher.requests.slice(before)).toEqual([]);
};

describe('PATCH /v1/discovery/connections/{connectionId}', () => {
  it("answers 200 with the seed's six fields after Fetcher's PATCH on the Fetcher id with only the changed fields, and caches them", async () => {
    const connection = await created();
    const renamed = `renamed-${randomUUID().slice(0, 8)}`;
    const answer = await patch(connection.id, { configName: renamed, port: 5433, databaseName: 'ledger_v2' });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(Object.keys(answer.body).sort()).toEqual(VIEW_FIELDS);
    expect(answer.body).toEqual({
      id: connection.id,
      configName: renamed,
      databaseType: 'POSTGRESQL',
      status: 'AVAILABLE',
      // The database name changed: the schema was discovered again, within the request.
      schemaDiscovered: true,
      lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect(Date.parse(answer.body.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(String(connection.view.lastSeenAt)));

    const sent = service.fetcher.requests.filter((r) => r.route === 'update').at(-1)!;
    expect(sent).toMatchObject({ method: 'PATCH', path: `/v1/management/connections/${connection.fetcherId}` });
    expect(sent.body).toEqual({ configName: renamed, port: 5433, databaseName: 'ledger_v2' });
    expect(inFetcher(connection)).toMatchObject({ configName: renamed, port: 5433, databaseName: 'ledger_v2' });
    expect(await cachedItem(connection.id)).toMatchObject({
      configName: renamed,
      port: 5433,
      databaseName: 'ledger_v2',
      status: 'AVAILABLE',
    });
    expect((await getConnection(service, connection.id)).body).toEqual(answer.body);
  });

  it('accepts a databaseType alias and sends Fetcher the canonical type', async () => {
    const connection = await created();
    const answer = await patch(connection.id, { databaseType: 'mariadb', port: 3306 });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.databaseType).toBe('MYSQL');
    expect(service.fetcher.requests.filter((r) => r.route === 'update').at(-1)!.body).toEqual({ type: 'MYSQL', port: 3306 });
    expect(inFetcher(connection)).toMatchObject({ type: 'MYSQL', port: 3306 });
    expect(await cachedItem(connection.id)).toMatchObject({ databaseType: 'MYSQL', typeKey: 'TENANT#default#TYPE#MYSQL' });
  });

  it('answers 422 MTCH-0005 at path.connectionId for an id that is not a UUID, without calling Fetcher', async () => {
    const before = service.fetcher.requests.length;
    const answer = await patch('not-a-uuid', { port: 5433 });
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toEqual([{ location: 'path.connectionId', message: 'expected uuid', value: 'not-a-uuid' }]);
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('answers 404 MTCH-0201 for a connection nobody has, without calling Fetcher', async () => {
    const before = service.fetcher.requests.length;
    expectProblem(await patch(randomUUID(), { port: 5433 }), 404, 'MTCH-0201');
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('answers 403 MTCH-0004 for a cached connection of another product in Fetcher, and Fetcher is not asked to change it', async () => {
    // Another product's service on the same table: its connections are cached with its product name.
    const other = await startService({ FETCHER_PRODUCT_NAME: 'reconciler' });
    try {
      const theirs = await createConnection(other);
      const before = service.fetcher.requests.length;
      const answer = await patch(theirs.id, { port: 5433 });
      expectProblem(answer, 403, 'MTCH-0004');
      expect(answer.body.detail).toBe('This connection is not owned by Matcher in Fetcher; change it there.');
      expect(answer.headers['www-authenticate']).toBeUndefined();
      expect(service.fetcher.requests.length).toBe(before);
      expect(other.fetcher.calls('update')).toBe(0);
      expect(other.fetcher.connections()[0]).toMatchObject({ productName: 'reconciler', port: 5432 });
    } finally {
      await other.stop();
    }
  });

  describe('the body: the create rules, every field optional', () => {
    let connection: Created;
    beforeAll(async () => {
      connection = await created();
    });

    it('refuses {} at body: at least one field is required', async () => {
      await expectInvalid(connection.id, {}, [{ location: 'body', message: 'expected at least one property' }]);
    });

    it('refuses unknown fields, ssl and metadata included', async () => {
      await expectInvalid(connection.id, { port: 5433, ssl: { mode: 'require' }, metadata: { a: 1 } }, [
        { location: 'body.ssl', message: 'unexpected property' },
        { location: 'body.metadata', message: 'unexpected property' },
      ]);
    });

    it.each(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'password', 'schema'])(
      'refuses %s set to null',
      async (field) => {
        const answer = await patch(connection.id, { [field]: null });
        expectProblem(answer, 422, 'MTCH-0005');
        expect(answer.body.errors).toEqual([{ location: `body.${field}`, message: expect.stringMatching(/^expected /) }]);
      },
    );

    it("applies the create's rules to what is given", async () => {
      await expectInvalid(connection.id, { port: 0, configName: 'has space' }, [
        { location: 'body.configName', message: 'expected string to match pattern ^[A-Za-z0-9_-]+$', value: 'has space' },
        { location: 'body.port', message: 'expected number >= 1', value: 0 },
      ]);
    });

    it('refuses a new host the host policy refuses with 422 MTCH-0209 at body.host, without calling Fetcher', async () => {
      const before = service.fetcher.requests.length;
      for (const host of ['169.254.169.254', '10.0.0.1', 'localhost']) {
        const answer = await patch(connection.id, { host });
        expectProblem(answer, 422, 'MTCH-0209');
        expect(answer.body.errors).toEqual([{ location: 'body.host', message: expect.stringMatching(/^host not allowed: /), value: host }]);
      }
      expect(service.fetcher.requests.length).toBe(before);
      expect(inFetcher(connection)!.host).toBe('db.example.com');
    });

    it('checks where a new host resolves when HOST_DNS_CHECK is on', async () => {
      const resolveHost = async (host: string) => (host === 'private.example.com' ? ['10.1.2.3'] : ['93.184.216.34']);
      const checked = await startService({ HOST_DNS_CHECK: 'true' }, { adapters: { resolveHost } });
      try {
        const mine = await createConnection(checked);
        const answer = await patchConnection(checked, mine.id, { host: 'private.example.com' });
        expectProblem(answer, 422, 'MTCH-0209');
        expect(answer.body.errors[0]).toMatchObject({ location: 'body.host' });
        expect(checked.fetcher.calls('update')).toBe(0);
        expect((await patchConnection(checked, mine.id, { host: 'public.example.com' })).status).toBe(200);
      } finally {
        await checked.stop();
      }
    });
  });

  describe("Fetcher's answers", () => {
    it('answers 409 MTCH-0206 for a rename onto a configName the tenant already has, and keeps the cache', async () => {
      const taken = await created();
      const connection = await created();
      expectProblem(await patch(connection.id, { configName: taken.configName }), 409, 'MTCH-0206');
      expect(inFetcher(connection)!.configName).toBe(connection.configName);
      expect((await cachedItem(connection.id))!.configName).toBe(connection.configName);
    });

    it('answers 409 MTCH-0211 with Retry-After while extraction jobs run on it (FET-1021), and succeeds once they end', async () => {
      const connection = await created();
      service.fetcher.setJobs(connection.fetcherId, 'running');
      const answer = await patch(connection.id, { port: 5433 });
      expectProblem(answer, 409, 'MTCH-0211');
      expect(answer.headers['retry-after']).toBe('30');
      expect(answer.raw).not.toContain('Job In Progress');
      expect((await cachedItem(connection.id))!.port).toBe(5432);

      service.fetcher.setJobs(connection.fetcherId, 'idle');
      expect((await patch(connection.id, { port: 5433 })).status).toBe(200);
      expect((await cachedItem(connection.id))!.port).toBe(5433);
    });

    it('answers 404 MTCH-0201 when Fetcher no longer holds it, and marks the cached connection UNREACHABLE with its schema forgotten', async () => {
      const connection = await created();
      expect((await getConnection(service, connection.id)).body).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
      const schemaItems = async () => (await service.cacheItems()).filter((item) => String(item.sk).startsWith(`SCHEMA#${connection.id}#`));
      expect((await schemaItems()).length).toBeGreaterThan(0);
      service.fetcher.alter(connection.fetcherId, { deletedAt: new Date().toISOString() });
      expectProblem(await patch(connection.id, { port: 5433 }), 404, 'MTCH-0201');

      const after = await getConnection(service, connection.id);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ id: connection.id, status: 'UNREACHABLE', schemaDiscovered: false });
      expect(await schemaItems()).toEqual([]);
    });

    it.each([
      ['503', { status: 503, body: { code: 'FET-0002', title: 'Service Unavailable', message: 'down' } }, 503, 'MTCH-0203'],
      ['500', { status: 500, body: { code: 'FET-0002', title: 'Internal Server Error', message: 'boom' } }, 502, 'MTCH-0207'],
      [
        '400 FET-0414 (its host guard)',
        { status: 400, body: { code: 'FET-0414', title: 'Forbidden Host', message: 'Host is not a valid external database endpoint' } },
        422,
        'MTCH-0209',
      ],
      [
        '400 FET-0001 with fields',
        { status: 400, body: { code: 'FET-0001', title: 'Bad Request', message: 'x', fields: { host: 'host must be a valid hostname' } } },
        422,
        'MTCH-0005',
      ],
    ])('maps %s as the create maps it', async (_, fault, status, code) => {
      const connection = await created();
      service.fetcher.inject('update', { ...fault, times: 1 });
      const before = updatesSent();
      const answer = await patch(connection.id, { host: 'db2.example.com' });
      expectProblem(answer, status, code);
      if (code === 'MTCH-0203') expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      if (code === 'MTCH-0005') expect(answer.body.errors).toEqual([{ location: 'body.host', message: 'rejected by Fetcher as invalid' }]);
      // Fetcher's own words never reach the caller.
      for (const word of ['FET-0', 'boom', 'valid external', 'valid hostname']) expect(answer.raw).not.toContain(word);
      expect((await cachedItem(connection.id))!.host).toBe('db.example.com');
      // A change is never sent again on its own.
      expect(updatesSent() - before).toBe(1);
    });
  });

  describe('Idempotency-Key, as on the create', () => {
    it('replays the first answer with Idempotent-Replayed: true, without asking Fetcher again', async () => {
      const connection = await created();
      const key = randomUUID();
      const before = updatesSent();
      const first = await patch(connection.id, { port: 6000 }, { headers: { 'idempotency-key': key } });
      expect(first.status, first.raw).toBe(200);
      // Changed meanwhile: a replay still answers what the first request answered.
      expect((await patch(connection.id, { port: 6001 })).status).toBe(200);
      const replay = await patch(connection.id, { port: 6000 }, { headers: { 'idempotency-key': key } });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.raw).toBe(first.raw);
      expect(updatesSent() - before).toBe(2);
      expect(inFetcher(connection)!.port).toBe(6001);
    });

    it('answers 422 MTCH-0019 for the same key with another body, a password-only difference included', async () => {
      const connection = await created();
      const key = randomUUID();
      expect((await patch(connection.id, { port: 6000, password: 'first-password' }, { headers: { 'idempotency-key': key } })).status).toBe(
        200,
      );
      const before = updatesSent();
      expectProblem(await patch(connection.id, { port: 6002 }, { headers: { 'idempotency-key': key } }), 422, 'MTCH-0019');
      const passwordOnly = await patch(connection.id, { port: 6000, password: 'other-password' }, { headers: { 'idempotency-key': key } });
      expectProblem(passwordOnly, 422, 'MTCH-0019');
      expect(updatesSent()).toBe(before);
    });

    it('keeps a key of the create apart from the same key on a PATCH', async () => {
      const key = randomUUID();
      const createAnswer = await service.call('create-connection', {
        body: validBody(),
        headers: { 'idempotency-key': key },
      });
      expect(createAnswer.status).toBe(201);
      const answer = await patch(String(createAnswer.body.id), { port: 6003 }, { headers: { 'idempotency-key': key } });
      expect(answer.status, answer.raw).toBe(200);
      expect(answer.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  it('needs discovery:write: a discovery:read token is 403 MTCH-0004, no token is 401, and Fetcher is not called', async () => {
    const connection = await created();
    const before = service.fetcher.requests.length;
    const answer = await patch(connection.id, { port: 5433 }, { token: await service.token({ scope: 'discovery:read' }) });
    expectProblem(answer, 403, 'MTCH-0004');
    expect(answer.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:write"');
    const anonymous = await patch(connection.id, { port: 5433 }, { anonymous: true });
    expectProblem(anonymous, 401, 'MTCH-0003');
    expect(service.fetcher.requests.length).toBe(before);
  });
});

describe('PATCH /v1/discovery/connections/{connectionId} with MULTI_TENANT=true', () => {
  let multi: TestService;
  beforeAll(async () => {
    multi = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  });
  afterAll(() => multi?.stop());

  it("answers 404 MTCH-0201 to another tenant, without calling Fetcher, and 200 to the connection's own", async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const mine = await createConnection(multi, {}, { token: await multi.token({ tenantId: tenantA }) });
    const before = multi.fetcher.requests.length;
    const answer = await patchConnection(multi, mine.id, { port: 5433 }, { token: await multi.token({ tenantId: tenantB }) });
    expectProblem(answer, 404, 'MTCH-0201');
    expect(multi.fetcher.requests.length).toBe(before);
    const own = await patchConnection(multi, mine.id, { port: 5433 }, { token: await multi.token({ tenantId: tenantA }) });
    expect(own.status, own.raw).toBe(200);
  });
});

describe('PATCH /v1/discovery/connections/{connectionId}: an unknown outcome is settled by reading the connection back', () => {
  let quick: TestService;
  beforeAll(async () => {
    quick = await startService({ FETCHER_TIMEOUT_MS: '400', SCHEMA_DISCOVERY_BUDGET_MS: '0' });
  });
  afterEach(() => quick.fetcher.clearFaults());
  afterAll(() => quick?.stop());

  const routesSince = (start: number) => quick.fetcher.requests.slice(start).map((r) => r.route);

  it.each([
    ['times out after Fetcher applied it', { phase: 'after' as const, delayMs: 1_500, times: 1 }],
    ['is cut after Fetcher applied it', { phase: 'after' as const, action: 'reset' as const, times: 1 }],
    ['is cut mid-answer after Fetcher applied it', { phase: 'after' as const, action: 'truncate' as const, status: 200, times: 1 }],
  ])('%s: reads it back, finds the change, answers 200 and caches it, never sending the PATCH twice', async (_, fault) => {
    const connection = await createConnection(quick);
    quick.fetcher.inject('update', fault);
    const start = quick.fetcher.requests.length;
    const answer = await patchConnection(quick, connection.id, { port: 6100, password: 'rotated-password' });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toMatchObject({ id: connection.id, status: 'AVAILABLE' });
    expect(routesSince(start)).toEqual(['update', 'get']);
    expect(quick.fetcher.requests.at(-1)!.path).toBe(`/v1/management/connections/${connection.fetcherId}`);
    expect((await quick.cacheItems()).find((item) => item.sk === `CONN#${connection.id}`)).toMatchObject({ port: 6100 });
  });

  it('answers the failure when the read-back shows the change did not happen, and leaves the cache as it was', async () => {
    const connection = await createConnection(quick);
    quick.fetcher.inject('update', { action: 'reset', times: 1 });
    const start = quick.fetcher.requests.length;
    const answer = await patchConnection(quick, connection.id, { port: 6101 });
    expectProblem(answer, 502, 'MTCH-0207');
    expect(routesSince(start)).toEqual(['update', 'get']);
    expect(quick.fetcher.connections().find((c) => c.id === connection.fetcherId)!.port).toBe(5432);
    expect((await quick.cacheItems()).find((item) => item.sk === `CONN#${connection.id}`)).toMatchObject({ port: 5432 });
  });

  it('answers 504 MTCH-0208 when Fetcher does not answer in time and the read-back fails too', async () => {
    const connection = await createConnection(quick);
    quick.fetcher.inject('update', { delayMs: 1_500, times: 1 });
    quick.fetcher.inject('get', { status: 503, body: {} });
    const answer = await patchConnection(quick, connection.id, { port: 6102 });
    expectProblem(answer, 504, 'MTCH-0208');
    expect((await quick.cacheItems()).find((item) => item.sk === `CONN#${connection.id}`)).toMatchObject({ port: 5432 });
  });
});
