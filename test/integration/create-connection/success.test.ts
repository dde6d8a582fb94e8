import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /v1/discovery/connections: success', () => {
  it('answers 201 with exactly the ConnectionResponse fields and caches the connection', async () => {
    const body = validBody({ schema: 'public' });
    const before = Date.now();
    const answer = await service.invoke({ body, requestId: 'req-success-1' });

    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(Object.keys(answer.body).sort()).toEqual(['configName', 'databaseType', 'id', 'lastSeenAt', 'schemaDiscovered', 'status']);

    const created = service.fetcher.connections().find((c) => c.configName === body.configName)!;
    expect(created).toBeDefined();
    expect(answer.body.id).toBe(connectionId('default', created.id));
    expect(answer.body.id).not.toBe(created.id);
    expect(answer.body).toMatchObject({
      configName: body.configName,
      databaseType: 'POSTGRESQL',
      status: 'AVAILABLE',
      schemaDiscovered: true,
    });
    expect(answer.body.lastSeenAt).toMatch(RFC3339_MS_UTC);
    expect(Date.parse(answer.body.lastSeenAt)).toBeGreaterThanOrEqual(before);
    expect(answer.headers.location).toBe(`/v1/discovery/connections/${answer.body.id}`);

    const items = await service.cacheItems();
    const item = items.find((i) => i.sk === `CONN#${answer.body.id}`)!;
    expect(item).toEqual({
      pk: 'TENANT#default',
      sk: `CONN#${answer.body.id}`,
      id: answer.body.id,
      fetcherConnectionId: created.id,
      configName: body.configName,
      databaseType: 'POSTGRESQL',
      host: 'db.example.com',
      port: 5432,
      databaseName: 'ledger',
      schema: 'public',
      userName: 'matcher_ro',
      productName: 'matcher',
      status: 'AVAILABLE',
      schemaDiscovered: true,
      lastSeenAt: answer.body.lastSeenAt,
      createdAt: expect.stringMatching(RFC3339_MS_UTC),
      updatedAt: expect.stringMatching(RFC3339_MS_UTC),
      version: Date.parse(answer.body.lastSeenAt),
      fetcherCreatedAt: expect.stringMatching(RFC3339_MS_UTC),
      // The sparse list indexes: one partition per tenant and filter.
      tenantKey: 'TENANT#default',
      statusKey: 'TENANT#default#STATUS#AVAILABLE',
      typeKey: 'TENANT#default#TYPE#POSTGRESQL',
      statusTypeKey: 'TENANT#default#STATUS#AVAILABLE#TYPE#POSTGRESQL',
      // The schema snapshot's pointer.
      snapshotVersion: expect.any(Number),
      snapshotFingerprint: expect.any(String),
      snapshotCheckedAt: expect.stringMatching(RFC3339_MS_UTC),
    });
    // The snapshot: one gzipped chunk for the two demo tables, read back whole through the schema route.
    expect(items.filter((i) => String(i.sk).startsWith(`SCHEMA#${answer.body.id}#`))).toHaveLength(1);
    const schema = await service.call('get-connection-schema', { pathParameters: { connectionId: answer.body.id } });
    expect(schema.body.tables.map((t: { tableName: string }) => t.tableName)).toEqual(['accounts', 'transactions']);
    expect(schema.body.tables[0]).toEqual({
      tableName: 'accounts',
      columns: ['balance', 'created_at', 'currency', 'id'].map((name) => ({ name })),
    });
  });

  it('sends Fetcher the canonical body, X-Product-Name, the request id and a fresh matcherRequestId', async () => {
    const body = validBody({ databaseType: ' mssql ', configName: '  trimmed-name ', host: ' db.example.com ' });
    const answer = await service.invoke({ body, requestId: 'req-alias-1' });
    expect(answer.status).toBe(201);
    expect(answer.body.databaseType).toBe('SQL_SERVER');
    expect(answer.body.configName).toBe('trimmed-name');

    const create = service.fetcher.requests.filter((r) => r.route === 'create').at(-1)!;
    expect(create.headers['x-product-name']).toBe('matcher');
    expect(create.headers['x-request-id']).toBe('req-alias-1');
    expect(create.body).toEqual({
      configName: 'trimmed-name',
      type: 'SQL_SERVER',
      host: 'db.example.com',
      port: 5432,
      databaseName: 'ledger',
      userName: 'matcher_ro',
      password: 's3cret-pass',
      metadata: { matcherRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });

    await service.invoke({ body: validBody() });
    const ids = service.fetcher.requests
      .filter((r) => r.route === 'create')
      .map((r) => (r.body as { metadata: { matcherRequestId: string } }).metadata.matcherRequestId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('forwards the password untrimmed', async () => {
    const body = validBody({ password: '  spaced secret  ' });
    expect((await service.invoke({ body })).status).toBe(201);
    const create = service.fetcher.requests.filter((r) => r.route === 'create').at(-1)!;
    expect((create.body as { password: string }).password).toBe('  spaced secret  ');
  });
});
