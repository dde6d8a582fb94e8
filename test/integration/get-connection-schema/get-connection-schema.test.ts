import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClientOf } from '../../../functions/adapters/dynamodb/dynamodb-client.ts';
import { createConnectionCache } from '../../../functions/adapters/dynamodb/dynamodb-connection-cache.ts';
import { createSchemaSnapshots } from '../../../functions/adapters/dynamodb/dynamodb-schema-snapshots.ts';
import type { Table } from '../../doubles/fetcher-emulator.ts';
import { testCall } from '../../support/call.ts';
import { detailSchema } from '../../support/detail-schema.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { startService, validBody, type Answer, type CallOptions, type TestService } from '../../support/service.ts';

// The Lambda's response limit: the whole result, JSON, base64 body included.
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

let service: TestService;
beforeAll(async () => {
  // A 2 000-table snapshot takes longer than the default test budget to fetch.
  service = await startService({ SCHEMA_DISCOVERY_BUDGET_MS: '10000' });
});
afterAll(() => service?.stop());

const schema = (connectionId: string, options: CallOptions = {}, on: TestService = service) =>
  on.call('get-connection-schema', { pathParameters: { connectionId }, ...options });

const created = async (tables?: Table[] | 'connect-error', on: TestService = service, options: CallOptions = {}) => {
  const body = validBody();
  if (tables) on.fetcher.setSchema(body.configName, tables);
  const answer = await on.call('create-connection', { body, ...options });
  expect(answer.status, answer.raw).toBe(201);
  return answer.body as { id: string; schemaDiscovered: boolean };
};

const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(detailSchema.safeParse(answer.body).success, answer.raw).toBe(true);
  expect(answer.body).toMatchObject({ status, code });
};

/** 2 000 tables of 30 columns, listed out of order, with names long enough to weigh a few MB. */
const largeSchema = (): Table[] =>
  Array.from({ length: 2_000 }, (_, t) => ({
    name: `ledger_partition_${String(1_999 - t).padStart(4, '0')}`,
    fields: Array.from({ length: 30 }, (_, c) => `column_with_a_rather_long_name_${String(29 - c).padStart(2, '0')}`),
  }));

describe('GET /v1/discovery/connections/{connectionId}/schema', () => {
  it('answers {connectionId, tables: [{tableName, columns: [{name}]}]}, tables and columns sorted by name, without calling Fetcher', async () => {
    const connection = await created([
      { name: 'transactions', fields: ['id', 'amount', 'Booked_at'] },
      { name: 'Zeta', fields: [] },
      { name: 'accounts', fields: ['id', 'balance'] },
    ]);
    expect(connection.schemaDiscovered).toBe(true);
    const before = service.fetcher.requests.length;
    const answer = await schema(connection.id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({
      connectionId: connection.id,
      tables: [
        { tableName: 'Zeta', columns: [] },
        { tableName: 'accounts', columns: [{ name: 'balance' }, { name: 'id' }] },
        { tableName: 'transactions', columns: [{ name: 'Booked_at' }, { name: 'amount' }, { name: 'id' }] },
      ],
    });
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('gives type and nullable only for columns Fetcher described with them', async () => {
    const body = validBody();
    service.fetcher.inject('schema', {
      status: 200,
      body: {
        id: randomUUID(),
        configName: body.configName,
        databaseName: 'ledger',
        type: 'POSTGRESQL',
        tables: [
          { name: 'accounts', fields: ['id', { name: 'balance', type: 'numeric', nullable: false }, { name: 'note', nullable: true }] },
        ],
      },
      times: 1,
    });
    const answer = await service.call('create-connection', { body });
    expect(answer.status, answer.raw).toBe(201);
    expect((await schema(answer.body.id)).body.tables).toEqual([
      {
        tableName: 'accounts',
        columns: [{ name: 'balance', type: 'numeric', nullable: false }, { name: 'id' }, { name: 'note', nullable: true }],
      },
    ]);
  });

  it('answers tables: [] while the schema is not discovered', async () => {
    const connection = await created('connect-error');
    expect(connection.schemaDiscovered).toBe(false);
    const answer = await schema(connection.id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toEqual({ connectionId: connection.id, tables: [] });
  });

  it('answers tables: [] while the connection is UNREACHABLE, its snapshot dropped', async () => {
    const connection = await created([{ name: 'accounts', fields: ['id'] }]);
    expect((await schema(connection.id)).body.tables).toHaveLength(1);
    const documents = documentClientOf(await service.dynamodbClient());
    const cache = createConnectionCache(documents, TEST_TABLES.cache, createSchemaSnapshots(documents, TEST_TABLES.cache));
    const cached = (await cache.findConnection(connection.id, testCall()))!;
    expect(await cache.markUnreachable({ ...cached, status: 'UNREACHABLE' }, new Date(), testCall())).toBe('saved');
    const answer = await schema(connection.id);
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toEqual({ connectionId: connection.id, tables: [] });
    expect((await service.call('get-connection', { pathParameters: { connectionId: connection.id } })).body).toMatchObject({
      status: 'UNREACHABLE',
      schemaDiscovered: false,
    });
  });

  describe('a 2 000-table schema', () => {
    let id: string;
    let expected: { tableName: string; columns: { name: string }[] }[];
    beforeAll(async () => {
      const tables = largeSchema();
      const connection = await created(tables);
      expect(connection.schemaDiscovered).toBe(true);
      id = connection.id;
      expected = tables
        .map((t) => ({ tableName: t.name, columns: [...t.fields].sort().map((name) => ({ name })) }))
        .sort((a, b) => (a.tableName < b.tableName ? -1 : 1));
    }, 60_000);

    it('is answered whole within the 6 MB Lambda response limit, to a client that does not accept gzip', async () => {
      const answer = await schema(id);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers.vary).toBe('Accept-Encoding');
      expect(answer.body.tables).toHaveLength(2_000);
      expect(answer.body).toEqual({ connectionId: id, tables: expected });
      expect(Buffer.byteLength(JSON.stringify({ statusCode: 200, headers: answer.headers, body: answer.raw }))).toBeLessThan(
        LAMBDA_RESPONSE_LIMIT,
      );
    });

    it('is gzipped for a client that accepts gzip, the decompressed body the same, a fraction of the size', async () => {
      const plain = await schema(id);
      const answer = await schema(id, { headers: { 'accept-encoding': 'br;q=1.0, gzip;q=0.8' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe('gzip');
      expect(answer.isBase64Encoded).toBe(true);
      const decompressed = gunzipSync(Buffer.from(answer.raw, 'base64')).toString('utf8');
      expect(decompressed).toBe(plain.raw);
      expect(JSON.parse(decompressed)).toEqual({ connectionId: id, tables: expected });
      expect(answer.raw.length).toBeLessThan(plain.raw.length / 5);
      // gzip;q=0 refuses it.
      expect((await schema(id, { headers: { 'accept-encoding': 'gzip;q=0' } })).headers['content-encoding']).toBeUndefined();
    });

    it('answers an ETag, and 304 with no body to If-None-Match with it, gzipped or not', async () => {
      const first = await schema(id, { headers: { 'accept-encoding': 'gzip' } });
      const tag = first.headers.etag!;
      expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      expect((await schema(id)).headers.etag).toBe(tag);
      const conditions: Record<string, string>[] = [
        { 'if-none-match': tag },
        { 'if-none-match': `"other", ${tag.slice(2)}`, 'accept-encoding': 'gzip' },
      ];
      for (const headers of conditions) {
        const answer = await schema(id, { headers });
        expect(answer.status).toBe(304);
        expect(answer.raw).toBe('');
        expect(answer.headers.etag).toBe(tag);
      }
      expect((await schema(id, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    });
  });

  it('answers 404 MTCH-0201 for a connection nobody has', async () => {
    expectProblem(await schema(randomUUID()), 404, 'MTCH-0201');
  });

  it('answers 422 MTCH-0005 at path.connectionId for an id that is not a UUID', async () => {
    const answer = await schema('42');
    expectProblem(answer, 422, 'MTCH-0005');
    expect(answer.body.errors).toEqual([{ location: 'path.connectionId', message: 'expected uuid', value: '42' }]);
  });

  it('serves discovery:read and discovery:write tokens; 403 MTCH-0004 without either, 401 MTCH-0003 without a token', async () => {
    const connection = await created([{ name: 'accounts', fields: ['id'] }]);
    for (const scope of ['discovery:read', 'discovery:write']) {
      expect((await schema(connection.id, { token: await service.token({ scope }) })).status).toBe(200);
    }
    expectProblem(await schema(connection.id, { token: await service.token({ scope: 'profile' }) }), 403, 'MTCH-0004');
    expectProblem(await schema(connection.id, { anonymous: true }), 401, 'MTCH-0003');
  });
});

describe('GET /v1/discovery/connections/{connectionId}/schema with MULTI_TENANT=true', () => {
  let multi: TestService;
  beforeAll(async () => {
    multi = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  });
  afterAll(() => multi?.stop());

  it("answers 404 MTCH-0201 for another tenant's connection, and its tables to its own", async () => {
    const own = await multi.token({ tenantId: randomUUID() });
    const connection = await created([{ name: 'accounts', fields: ['id'] }], multi, { token: own });
    expectProblem(await schema(connection.id, { token: await multi.token({ tenantId: randomUUID() }) }, multi), 404, 'MTCH-0201');
    expect((await schema(connection.id, { token: own }, multi)).body.tables).toEqual([
      { tableName: 'accounts', columns: [{ name: 'id' }] },
    ]);
  });
});
