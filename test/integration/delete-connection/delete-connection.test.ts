import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createConnection, deleteConnection, expectProblem, getConnection, type Created } from '../../support/connection-changes.ts';
import { waitFor } from '../../support/harness-process.ts';
import { ownCacheTable, type OwnTable } from '../../support/own-table.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';
import { startSyncService, type SyncService } from '../../support/sync-service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '1000' });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service?.stop());

const remove = (id: string, options = {}) => deleteConnection(service, id, options);
const created = () => createConnection(service);
const itemsOf = async (connection: Created) =>
  (await service.cacheItems()).filter(
    (item) => item.sk === `CONN#${connection.id}` || String(item.sk).startsWith(`SCHEMA#${connection.id}#`),
  );
const deletesSent = () => service.fetcher.calls('delete');

describe('DELETE /v1/discovery/connections/{connectionId}', () => {
  it("answers 204 with no body after Fetcher's soft delete, and leaves only a tombstone in the cache: no schema, no index keys", async () => {
    const connection = await created();
    expect((await itemsOf(connection)).length).toBeGreaterThan(1); // the connection and its schema

    const answer = await remove(connection.id);
    expect(answer.status, answer.raw).toBe(204);
    expect(answer.raw).toBe('');
    const sent = service.fetcher.requests.filter((r) => r.route === 'delete').at(-1)!;
    expect(sent).toMatchObject({ method: 'DELETE', path: `/v1/management/connections/${connection.fetcherId}` });
    expect(service.fetcher.connections().some((c) => c.id === connection.fetcherId)).toBe(false);

    const [tombstone, ...rest] = await itemsOf(connection);
    expect(rest).toEqual([]);
    expect(tombstone).toMatchObject({ status: 'DELETED', schemaDiscovered: false, expiresAt: expect.any(Number) });
    for (const key of ['tenantKey', 'statusKey', 'typeKey', 'statusTypeKey', 'snapshotVersion']) expect(tombstone).not.toHaveProperty(key);
    // Gone for DynamoDB's TTL about a day later.
    expect(Number(tombstone!.expiresAt) * 1000 - Date.now()).toBeGreaterThan(23 * 3_600_000);

    expectProblem(await getConnection(service, connection.id), 404, 'MTCH-0201');
    const schema = await service.call('get-connection-schema', { pathParameters: { connectionId: connection.id } });
    expectProblem(schema, 404, 'MTCH-0201');
    const listed = await service.call('list-connections', { query: { limit: '200' } });
    expect(listed.body.connections.map((c: { id: string }) => c.id)).not.toContain(connection.id);
  });

  it('answers a second DELETE with 404 MTCH-0201, without calling Fetcher', async () => {
    const connection = await created();
    expect((await remove(connection.id)).status).toBe(204);
    const before = service.fetcher.requests.length;
    expectProblem(await remove(connection.id), 404, 'MTCH-0201');
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('answers 204 and removes the cached connection when Fetcher had already deleted it', async () => {
    const connection = await created();
    service.fetcher.alter(connection.fetcherId, { deletedAt: new Date().toISOString() });
    expect((await remove(connection.id)).status).toBe(204);
    expect((await itemsOf(connection)).map((item) => item.status)).toEqual(['DELETED']);
  });

  it('answers 409 MTCH-0211 with Retry-After while extraction jobs run on it (FET-1021), keeping it, and 204 once they end', async () => {
    const connection = await created();
    service.fetcher.setJobs(connection.fetcherId, 'running');
    const answer = await remove(connection.id);
    expectProblem(answer, 409, 'MTCH-0211');
    expect(answer.headers['retry-after']).toBe('30');
    expect((await getConnection(service, connection.id)).body).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
    expect(service.fetcher.connections().some((c) => c.id === connection.fetcherId)).toBe(true);

    service.fetcher.setJobs(connection.fetcherId, 'idle');
    expect((await remove(connection.id)).status).toBe(204);
  });

  it('answers 503 MTCH-0203 when Fetcher is unavailable, keeping the cached connection, and never sends the delete twice', async () => {
    const connection = await created();
    service.fetcher.inject('delete', { status: 503, body: { code: 'FET-0002', title: 'Service Unavailable', message: 'down' }, times: 1 });
    const before = deletesSent();
    const answer = await remove(connection.id);
    expectProblem(answer, 503, 'MTCH-0203');
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(deletesSent() - before).toBe(1);
    expect((await getConnection(service, connection.id)).status).toBe(200);
  });

  it('settles a delete whose answer was lost by reading the connection back: Fetcher no longer holds it, so 204', async () => {
    const connection = await created();
    service.fetcher.inject('delete', { phase: 'after', delayMs: 1_500, times: 1 });
    const start = service.fetcher.requests.length;
    expect((await remove(connection.id)).status).toBe(204);
    expect(service.fetcher.requests.slice(start).map((r) => r.route)).toEqual(['delete', 'get']);
    expectProblem(await getConnection(service, connection.id), 404, 'MTCH-0201');
  });

  it('answers 422 MTCH-0005 at path.connectionId for an id that is not a UUID, and 404 MTCH-0201 for one nobody has, without calling Fetcher', async () => {
    const before = service.fetcher.requests.length;
    const invalid = await remove('not-a-uuid');
    expectProblem(invalid, 422, 'MTCH-0005');
    expect(invalid.body.errors).toEqual([{ location: 'path.connectionId', message: 'expected uuid', value: 'not-a-uuid' }]);
    expectProblem(await remove(randomUUID()), 404, 'MTCH-0201');
    expect(service.fetcher.requests.length).toBe(before);
  });

  it('answers 403 MTCH-0004 for a cached connection of another product in Fetcher, which is not asked to delete it', async () => {
    const other = await startService({ FETCHER_PRODUCT_NAME: 'reconciler' });
    try {
      const theirs = await createConnection(other);
      const before = service.fetcher.requests.length;
      const answer = await remove(theirs.id);
      expectProblem(answer, 403, 'MTCH-0004');
      expect(answer.body.detail).toBe('This connection is not owned by Matcher in Fetcher; change it there.');
      expect(service.fetcher.requests.length).toBe(before);
      expect(other.fetcher.calls('delete')).toBe(0);
      expect((await getConnection(service, theirs.id)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('needs discovery:write: a discovery:read token is 403 MTCH-0004, no token is 401, and nothing is deleted', async () => {
    const connection = await created();
    const answer = await remove(connection.id, { token: await service.token({ scope: 'discovery:read' }) });
    expectProblem(answer, 403, 'MTCH-0004');
    expect(answer.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="discovery:write"');
    expectProblem(await remove(connection.id, { anonymous: true }), 401, 'MTCH-0003');
    expect(service.fetcher.connections().some((c) => c.id === connection.fetcherId)).toBe(true);
  });

  it('answers a create of the same configName afterwards with 201 and a new id, since Fetcher gives it a new one', async () => {
    const connection = await created();
    expect((await remove(connection.id)).status).toBe(204);
    const again = await service.call('create-connection', {
      body: validBody({ configName: connection.configName }),
    });
    expect(again.status, again.raw).toBe(201);
    expect(again.body).toMatchObject({ configName: connection.configName, status: 'AVAILABLE' });
    expect(again.body.id).not.toBe(connection.id);
    expect((await getConnection(service, String(again.body.id))).status).toBe(200);
    expectProblem(await getConnection(service, connection.id), 404, 'MTCH-0201');
  });
});

describe('DELETE /v1/discovery/connections/{connectionId} with MULTI_TENANT=true', () => {
  let table: OwnTable;
  beforeAll(async () => {
    table = await ownCacheTable('delete');
  });
  afterAll(() => table.drop());

  const sync = async () => {
    const started = await startSyncService(table, { FETCHER_TIMEOUT_MS: '10000' });
    onTestFinished(() => started.stop());
    return started;
  };
  const createdIn = async (s: SyncService) => {
    const answer = await s.create();
    expect(answer.status, answer.raw).toBe(201);
    const fetcherId = s.fetcher.connections().find((c) => c.configName === answer.body.configName)!.id;
    return { id: String(answer.body.id), fetcherId };
  };
  const removeIn = (s: SyncService, connectionId: string) => s.as('delete-connection', { pathParameters: { connectionId } });
  const countOf = async (s: SyncService) => (await s.status()).body.connectionCount as number;

  it("answers 404 MTCH-0201 to another tenant, without calling Fetcher, and 204 to the connection's own", async () => {
    const s = await sync();
    const connection = await createdIn(s);
    const before = s.fetcher.requests.length;
    const answer = await s.call('delete-connection', {
      pathParameters: { connectionId: connection.id },
      token: await s.token({ tenantId: randomUUID() }),
    });
    expectProblem(answer, 404, 'MTCH-0201');
    expect(s.fetcher.requests.length).toBe(before);
    expect((await removeIn(s, connection.id)).status).toBe(204);
  });

  it("takes the connection out of the tenant's count in the status, once even when two deletes race", async () => {
    const s = await sync();
    const [first, second] = [await createdIn(s), await createdIn(s)];
    expect(await countOf(s)).toBe(2);
    expect((await removeIn(s, first.id)).status).toBe(204);
    expect(await countOf(s)).toBe(1);

    const answers = await Promise.all([removeIn(s, second.id), removeIn(s, second.id)]);
    expect(answers.map((a) => a.status)).toContain(204);
    for (const answer of answers) expect([204, 404]).toContain(answer.status);
    expect(await countOf(s)).toBe(0);
    // A complete sync counts what is cached: the tombstones are not.
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 0, created: 0, complete: true });
    expect(await countOf(s)).toBe(0);
  });

  it('is not undone by a later sync: Fetcher no longer lists it, and the tombstone stays', async () => {
    const s = await sync();
    const [kept, deleted] = [await createdIn(s), await createdIn(s)];
    expect((await removeIn(s, deleted.id)).status).toBe(204);
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 1, created: 0, revived: 0, unreachable: 0, complete: true });
    expectProblem(await s.as('get-connection', { pathParameters: { connectionId: deleted.id } }), 404, 'MTCH-0201');
    expect((await s.as('get-connection', { pathParameters: { connectionId: kept.id } })).status).toBe(200);
    expect((await s.items()).get(`CONN#${deleted.id}`)).toMatchObject({ status: 'DELETED' });
    expect(await countOf(s)).toBe(1);
  });

  it('is not undone by a sync that listed it before the delete and then tries to write it', async () => {
    const s = await sync();
    const connection = await createdIn(s);
    // Changed in Fetcher behind our back, so the sync's listing differs from the cache and it writes.
    s.fetcher.alter(connection.fetcherId, { port: 5433 });
    let open!: () => void;
    s.fetcher.inject('list', { phase: 'after', until: new Promise<void>((resolve) => (open = resolve)), times: 1 });
    const syncing = s.sync(s.tenant);
    expect(await waitFor(() => s.fetcher.calls('list') > 0, 10_000, 10)).toBe(true);
    expect((await removeIn(s, connection.id)).status).toBe(204);
    open();

    expect(await syncing).toMatchObject({ listed: 1, updated: 0, created: 0 });
    expectProblem(await s.as('get-connection', { pathParameters: { connectionId: connection.id } }), 404, 'MTCH-0201');
    const items = await s.items();
    expect(items.get(`CONN#${connection.id}`)).toMatchObject({ status: 'DELETED', port: 5432 });
    expect([...items.keys()].filter((sk) => sk.startsWith(`SCHEMA#${connection.id}#`))).toEqual([]);
    // A sync whose listing still showed it (as one that began before the delete can) cannot cache it anew either.
    s.fetcher.inject('list', {
      status: 200,
      body: {
        items: [
          {
            id: connection.fetcherId,
            productName: 'matcher',
            configName: 'back-from-the-dead',
            type: 'POSTGRESQL',
            host: 'db.example.com',
            port: 5432,
            databaseName: 'ledger',
            userName: 'matcher_ro',
            createdAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
          },
        ],
        page: 1,
        limit: 100,
        total: 1,
      },
      times: 1,
    });
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 1, created: 0 });
    expectProblem(await s.as('get-connection', { pathParameters: { connectionId: connection.id } }), 404, 'MTCH-0201');
    expect(await countOf(s)).toBe(0);
  });
});
