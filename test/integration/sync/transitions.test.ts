import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type SyncService, syncServicesOnOwnTable } from '../../support/sync-service.ts';

const { service, tableName } = syncServicesOnOwnTable('transitions');

/** The snapshot items of a connection, by version. */
const snapshotVersions = async (s: SyncService, id: string) =>
  new Set([...(await s.items()).keys()].filter((sk) => sk.startsWith(`SCHEMA#${id}#`)).map((sk) => sk.split('#')[2]));

const view = async (s: SyncService, id: string) => {
  const answer = await s.as('get-connection', { pathParameters: { connectionId: id } });
  expect(answer.status).toBe(200);
  return answer.body as Record<string, unknown>;
};

const expectStatus = async (s: SyncService, expected: { connectionCount: number; connectionsSynced: number; state?: string }) => {
  const { status, body } = await s.status();
  expect(status).toBe(200);
  expect(body).toMatchObject({
    fetcherHealthy: true,
    connectionCount: expected.connectionCount,
    lastSyncAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    sync: { state: expected.state ?? 'completed', connectionsSynced: expected.connectionsSynced },
  });
};

describe('the sync against Fetcher and DynamoDB Local: every transition of a connection', () => {
  it('caches what was created in Fetcher only, 14 months ago included, and drops what another product owns', async () => {
    const s = await service();
    const [recent, old] = s.seedInFetcher(2, 14 * 30.44);
    s.fetcher.seed([{ configName: 'midaz-ledger', productName: 'midaz' }]);

    const result = await s.sync(s.tenant);
    expect(result).toMatchObject({ listed: 2, created: 2, unreachable: 0, schemasRefreshed: 2, listingComplete: true, complete: true });
    for (const connection of [recent!, old!]) {
      expect(await view(s, s.idOf(connection))).toMatchObject({
        configName: connection.configName,
        databaseType: 'POSTGRESQL',
        status: 'AVAILABLE',
        schemaDiscovered: true,
      });
    }
    expect((await s.items()).size).toBe(2 * 2 + 1);
    // Every listing named its window: without one, Fetcher shows the last month only.
    const lists = s.fetcher.requests.filter((r) => r.route === 'list').map((r) => new URL(r.path, 'http://x').searchParams);
    expect(lists.every((q) => q.get('startDate') && q.get('endDate') && q.get('limit') === '100')).toBe(true);
    await expectStatus(s, { connectionCount: 2, connectionsSynced: 2 });
  });

  it('marks a connection deleted in Fetcher UNREACHABLE with its schema dropped, and brings it back under the same id', async () => {
    const s = await service();
    const [kept, deleted] = s.seedInFetcher(1, 3);
    const firstSync = await s.sync(s.tenant);
    const id = s.idOf(deleted!);
    const seenAt = (await view(s, id)).lastSeenAt;
    expect(firstSync.created).toBe(2);
    expect((await snapshotVersions(s, id)).size).toBe(1);

    expect((await s.inFetcher('DELETE', `/${deleted!.id}`)).status).toBe(204);
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 1, unchanged: 1, unreachable: 1, listingComplete: true, complete: true });
    expect(await view(s, id)).toMatchObject({ status: 'UNREACHABLE', schemaDiscovered: false, lastSeenAt: seenAt });
    expect((await snapshotVersions(s, id)).size).toBe(0);
    expect((await s.as('get-connection-schema', { pathParameters: { connectionId: id } })).body).toMatchObject({ tables: [] });
    // Still cached, so still counted; only one of them is listed.
    await expectStatus(s, { connectionCount: 2, connectionsSynced: 1 });

    s.fetcher.alter(deleted!.id, { deletedAt: undefined });
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 2, revived: 1, unchanged: 1, schemasRefreshed: 1, complete: true });
    const back = await view(s, id);
    expect(back).toMatchObject({ id, status: 'AVAILABLE', schemaDiscovered: true });
    expect(Date.parse(back.lastSeenAt as string)).toBeGreaterThan(Date.parse(seenAt as string));
    expect(await view(s, s.idOf(kept!))).toMatchObject({ status: 'AVAILABLE' });
    await expectStatus(s, { connectionCount: 2, connectionsSynced: 2 });
  });

  it('updates a connection renamed in Fetcher, and writes nothing for one that did not change', async () => {
    const s = await service();
    const [renamed, same] = s.seedInFetcher(1, 2);
    await s.sync(s.tenant);
    expect((await s.inFetcher('PATCH', `/${renamed!.id}`, { configName: 'ledger-renamed' })).status).toBe(200);

    s.dynamodb.reset();
    expect(await s.sync(s.tenant)).toMatchObject({ updated: 1, unchanged: 1, created: 0, complete: true });
    // One connection write for the rename; the unchanged one costs nothing.
    expect(s.dynamodb.byAction().UpdateItem).toBeLessThanOrEqual(3);
    expect(await view(s, s.idOf(renamed!))).toMatchObject({ configName: 'ledger-renamed', status: 'AVAILABLE', schemaDiscovered: true });
    expect(await view(s, s.idOf(same!))).toMatchObject({ configName: same!.configName });
    await expectStatus(s, { connectionCount: 2, connectionsSynced: 2 });
  });

  it('stores a new snapshot when the schema changed, and the old tables are gone', async () => {
    const s = await service();
    const [connection] = s.seedInFetcher(1);
    s.fetcher.setSchema(connection!.configName, [{ name: 'old_table', fields: ['id'] }]);
    await s.sync(s.tenant);
    const id = s.idOf(connection!);
    const [oldVersion] = await snapshotVersions(s, id);

    s.fetcher.setSchema(connection!.configName, [
      { name: 'payments', fields: ['id', 'amount'] },
      { name: 'refunds', fields: ['id'] },
    ]);
    // A day has passed since Fetcher was last asked: the snapshot is due.
    await s.documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `TENANT#${s.tenant}`, sk: `CONN#${id}` },
        UpdateExpression: 'SET snapshotCheckedAt = :old',
        ExpressionAttributeValues: { ':old': new Date(Date.now() - 25 * 3_600_000).toISOString() },
      }),
    );
    expect(await s.sync(s.tenant)).toMatchObject({ unchanged: 1, schemasRefreshed: 1, schemasFailed: 0, complete: true });

    const schema = await s.as('get-connection-schema', { pathParameters: { connectionId: id } });
    expect(schema.body.tables.map((t: { tableName: string }) => t.tableName)).toEqual(['payments', 'refunds']);
    const versions = await snapshotVersions(s, id);
    expect(versions.size).toBe(1);
    expect(versions.has(oldVersion)).toBe(false);
    await expectStatus(s, { connectionCount: 1, connectionsSynced: 1 });
  });
});
