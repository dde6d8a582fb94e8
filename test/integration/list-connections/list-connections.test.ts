import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailSchema } from '../../support/detail-schema.ts';
import { partialCache } from '../../support/partial-ports.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

const tenant = randomUUID();
let service: TestService;
let token: string;
const created: Record<string, any>[] = [];

beforeAll(async () => {
  // A fresh tenant each run: its list holds this file's connections only.
  service = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  token = await service.token({ tenantId: tenant });
  for (const databaseType of ['postgres', 'mysql', 'mongo', 'mssql', 'oracle', 'POSTGRESQL']) {
    const answer = await service.call('create-connection', { body: validBody({ databaseType }), token });
    expect(answer.status, answer.raw).toBe(201);
    created.push(answer.body);
  }
});
afterAll(() => service?.stop());

const list = (
  query: Record<string, string> = {},
  options: { token?: string; anonymous?: boolean; headers?: Record<string, string> } = {},
) => service.call('list-connections', { query, ...(options.anonymous ? {} : { token }), ...options });

const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(detailSchema.safeParse(answer.body).success, answer.raw).toBe(true);
  expect(answer.body).toMatchObject({ status, code });
};

const ids = (answer: Answer) => answer.body.connections.map((c: { id: string }) => c.id);

describe('GET /v1/discovery/connections', () => {
  it("answers 200 {connections} with the tenant's connections as the create answered them, in id order, without a cursor on the last page", async () => {
    const answer = await list();
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({ connections: [...created].sort((a, b) => (a.id < b.id ? -1 : 1)) });
  });

  it('answers an empty list for a tenant with no connection', async () => {
    const answer = await list({}, { token: await service.token({ tenantId: randomUUID(), scope: 'discovery:read' }) });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toEqual({ connections: [] });
  });

  it('filters by databaseType, canonical or alias in any case', async () => {
    const postgres = created
      .filter((c) => c.databaseType === 'POSTGRESQL')
      .map((c) => c.id)
      .sort();
    expect(postgres).toHaveLength(2);
    for (const databaseType of ['POSTGRESQL', 'postgresql', 'postgres', 'pg', ' PG ']) {
      const answer = await list({ databaseType });
      expect(answer.status, answer.raw).toBe(200);
      expect(ids(answer)).toEqual(postgres);
    }
    const aliases: [string, string][] = [
      ['mariadb', 'MYSQL'],
      ['mongodb', 'MONGODB'],
      ['sql-server', 'SQL_SERVER'],
      ['sqlserver', 'SQL_SERVER'],
      ['oracledb', 'ORACLE'],
    ];
    for (const [alias, canonical] of aliases) {
      const answer = await list({ databaseType: alias });
      expect(answer.body.connections.map((c: { databaseType: string }) => c.databaseType)).toEqual([canonical]);
    }
  });

  it('filters by status, in any case: every new connection is AVAILABLE', async () => {
    expect(ids(await list({ status: 'available' }))).toHaveLength(created.length);
    expect((await list({ status: 'UNREACHABLE' })).body).toEqual({ connections: [] });
    expect((await list({ status: 'UNKNOWN', databaseType: 'pg' })).body).toEqual({ connections: [] });
    expect(ids(await list({ status: 'AVAILABLE', databaseType: 'mysql' }))).toEqual(
      created.filter((c) => c.databaseType === 'MYSQL').map((c) => c.id),
    );
  });

  it('takes limit 1 and 200, the bounds', async () => {
    const one = await list({ limit: '1' });
    expect(one.body.connections).toHaveLength(1);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    expect((await list({ limit: '200' })).body.connections).toHaveLength(created.length);
  });

  it.each([
    ['0', 'expected number >= 1'],
    ['201', 'expected number <= 200'],
    ['x', 'expected integer'],
    ['1.5', 'expected integer'],
    ['-3', 'expected number >= 1'],
  ])('answers 422 MTCH-0005 at query.limit for limit=%s', async (limit, message) => {
    const answer = await list({ limit });
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toEqual([{ location: 'query.limit', message, value: limit }]);
  });

  it('answers 422 MTCH-0005 at query.<name> for a parameter it does not know', async () => {
    const answer = await list({ page: '2' });
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toEqual([{ location: 'query.page', message: 'unexpected property' }]);
  });

  it('lists every problem of the query string at once', async () => {
    const answer = await list({ limit: '0', status: 'DELETED', databaseType: 'db2', sort: 'name', offset: '5' });
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.detail).toBe('The query string failed validation.');
    expect([...answer.body.errors].sort((a: any, b: any) => a.location.localeCompare(b.location))).toEqual([
      {
        location: 'query.databaseType',
        message: 'expected value to be one of "POSTGRESQL, MYSQL, MONGODB, SQL_SERVER, ORACLE"',
        value: 'db2',
      },
      { location: 'query.limit', message: 'expected number >= 1', value: '0' },
      { location: 'query.offset', message: 'unexpected property' },
      { location: 'query.sort', message: 'unexpected property' },
      { location: 'query.status', message: 'expected value to be one of "AVAILABLE, UNREACHABLE, UNKNOWN"', value: 'DELETED' },
    ]);
  });

  it('lists a forged cursor with the other problems, without echoing it', async () => {
    const answer = await list({ cursor: 'eyJ0ZW5hbnQiOiJ4In0.c2lnbmF0dXJl', limit: '500', colour: 'red' });
    expectProblem(answer, 422, 'MTCH-0005');
    expect([...answer.body.errors].sort((a: any, b: any) => a.location.localeCompare(b.location))).toEqual([
      { location: 'query.colour', message: 'unexpected property' },
      { location: 'query.cursor', message: 'expected a cursor returned by this route for the same filters' },
      { location: 'query.limit', message: 'expected number <= 200', value: '500' },
    ]);
  });

  it('answers ETag and 304 Not Modified to a client that already has the page', async () => {
    const first = await list();
    const tag = first.headers.etag;
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await list({}, { headers: { 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect(again.raw).toBe('');
    expect(again.headers.etag).toBe(tag);
    const other = await list({ limit: '1' }, { headers: { 'if-none-match': tag! } });
    expect(other.status).toBe(200);
  });

  it('serves discovery:read and discovery:write tokens alike', async () => {
    for (const scope of ['discovery:read', 'discovery:write', 'openid discovery:read']) {
      const answer = await list({}, { token: await service.token({ tenantId: tenant, scope }) });
      expect(answer.status, answer.raw).toBe(200);
      expect(answer.body.connections).toHaveLength(created.length);
    }
  });

  it('answers 401 MTCH-0003 without a token, and 403 MTCH-0004 naming discovery:read to a token without either scope', async () => {
    const anonymous = await list({}, { anonymous: true });
    expectProblem(anonymous, 401, 'MTCH-0003');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="matcher"');
    const forbidden = await list({}, { token: await service.token({ tenantId: tenant, scope: 'openid' }) });
    expectProblem(forbidden, 403, 'MTCH-0004');
    expect(forbidden.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:read"');
  });

  it('answers 403 MTCH-0004 to a token without a tenant in multi-tenant mode', async () => {
    expectProblem(await list({}, { token: await service.token({ scope: 'discovery:read' }) }), 403, 'MTCH-0004');
  });
});

describe('GET /v1/discovery/connections when the cache fails', () => {
  let failing: TestService;
  beforeAll(async () => {
    const cache = partialCache({
      listConnections: () => Promise.reject(new Error('ProvisionedThroughputExceededException: table db.internal')),
    });
    failing = await startService({}, { adapters: { cache } });
  });
  afterAll(() => failing?.stop());

  it('answers 500 MTCH-0002 "internal error", saying nothing of the cause', async () => {
    const answer = await failing.call('list-connections', { query: { limit: '5' } });
    expectProblem(answer, 500, 'MTCH-0002');
    expect(answer.body.detail).toBe('internal error');
    expect(answer.raw).not.toContain('Provisioned');
    expect(answer.raw).not.toContain('db.internal');
  });
});
