import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '../../support/harness-process.ts';
import { ownCacheTable, type OwnTable } from '../../support/own-table.ts';
import { startSyncService, type SyncService } from '../../support/sync-service.ts';

let table: OwnTable;
beforeAll(async () => {
  table = await ownCacheTable('update');
});
afterAll(() => table.drop());

const service = async (env: Record<string, string> = {}) => {
  // Answers held back on purpose must not time out meanwhile.
  const started = await startSyncService(table, { FETCHER_TIMEOUT_MS: '10000', ...env });
  onTestFinished(() => started.stop());
  return started;
};

/** A connection created through the route, as the tenant: our id and Fetcher's. */
const created = async (s: SyncService) => {
  const answer = await s.create();
  expect(answer.status, answer.raw).toBe(201);
  const configName = String(answer.body.configName);
  return { id: String(answer.body.id), configName, fetcherId: s.fetcher.connections().find((c) => c.configName === configName)!.id };
};

const patch = (s: SyncService, connectionId: string, body: object) => s.as('update-connection', { pathParameters: { connectionId }, body });
const view = async (s: SyncService, connectionId: string) => (await s.as('get-connection', { pathParameters: { connectionId } })).body;
const schemaOf = async (s: SyncService, connectionId: string) => {
  const answer = await s.as('get-connection-schema', { pathParameters: { connectionId } });
  expect(answer.status, answer.raw).toBe(200);
  return (answer.body.tables as { tableName: string }[]).map((t) => t.tableName);
};
/** The snapshot versions stored for a connection. */
const snapshotVersions = async (s: SyncService, id: string) => [
  ...new Set([...(await s.items()).keys()].filter((sk) => sk.startsWith(`SCHEMA#${id}#`)).map((sk) => sk.split('#')[2])),
];
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

describe('PATCH and the sync: the newer observation of Fetcher wins', () => {
  it('a sync that listed before the PATCH does not undo it in the cache', async () => {
    const s = await service();
    const connection = await created(s);
    // Changed in Fetcher behind our back, so the sync has something to write.
    s.fetcher.alter(connection.fetcherId, { port: 5433 });
    const listing = gate();
    s.fetcher.inject('list', { phase: 'after', until: listing.opened, times: 1 });

    const syncing = s.sync(s.tenant);
    expect(await waitFor(() => s.fetcher.calls('list') > 0, 10_000, 10)).toBe(true);
    const renamed = `renamed-${randomUUID().slice(0, 8)}`;
    const answer = await patch(s, connection.id, { configName: renamed });
    expect(answer.status, answer.raw).toBe(200);
    listing.open();
    const result = await syncing;

    // The sync saw the old name in its listing and tried to write it: the PATCH's newer write stood.
    expect(result).toMatchObject({ listed: 1, updated: 0, complete: true });
    expect(await view(s, connection.id)).toMatchObject({ configName: renamed, status: 'AVAILABLE' });
    expect((await s.items()).get(`CONN#${connection.id}`)).toMatchObject({ configName: renamed, port: 5433 });
  });

  it("a sync that began after the PATCH's answer writes what Fetcher shows then, over the PATCH's older write", async () => {
    const s = await service();
    const connection = await created(s);
    const mine = `mine-${randomUUID().slice(0, 8)}`;
    expect((await patch(s, connection.id, { configName: mine })).status).toBe(200);
    // Someone renames it again in Fetcher: the sync that starts now observes the newest state.
    const theirs = `theirs-${randomUUID().slice(0, 8)}`;
    expect((await s.inFetcher('PATCH', `/${connection.fetcherId}`, { configName: theirs })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 1, updated: 1, complete: true });
    expect(await view(s, connection.id)).toMatchObject({ configName: theirs });
  });
});

describe('PATCH that points the connection elsewhere: the schema snapshot', () => {
  it('is discovered again within the request: the new tables are served, the old snapshot is gone', async () => {
    const s = await service();
    const connection = await created(s);
    expect(await schemaOf(s, connection.id)).toEqual(['accounts', 'transactions']);
    const [before] = await snapshotVersions(s, connection.id);

    s.fetcher.setSchema(connection.configName, [{ name: 'payouts', fields: ['amount', 'id'] }]);
    const answer = await patch(s, connection.id, { host: 'db2.example.com' });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
    expect(s.fetcher.requests.at(-1)).toMatchObject({ route: 'schema', path: `/v1/management/connections/${connection.fetcherId}/schema` });
    expect(await schemaOf(s, connection.id)).toEqual(['payouts']);
    const after = await snapshotVersions(s, connection.id);
    expect(after).toHaveLength(1);
    expect(after).not.toContain(before);
  });

  it.each([
    ['its database cannot be read', {}, 'down'],
    ['discovery in a request is off', { SCHEMA_DISCOVERY_BUDGET_MS: '0' }, 'up'],
  ] as const)('is marked stale when %s: schemaDiscovered false and no tables served, until the sync finds it', async (_, env, database) => {
    const s = await service(env);
    const connection = await created(s);
    // Discover it first (the create did not, with discovery off): the sync does.
    await s.sync(s.tenant);
    expect(await schemaOf(s, connection.id)).toEqual(['accounts', 'transactions']);

    s.fetcher.setDatabase(connection.configName, database);
    const answer = await patch(s, connection.id, { databaseName: 'ledger_v2', password: 'rotated-password' });
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: false });
    expect(await view(s, connection.id)).toMatchObject({ schemaDiscovered: false });
    expect(await schemaOf(s, connection.id)).toEqual([]);
    expect(await snapshotVersions(s, connection.id)).toEqual([]);

    s.fetcher.setDatabase(connection.configName, 'up');
    await s.sync(s.tenant);
    expect(await view(s, connection.id)).toMatchObject({ schemaDiscovered: true });
    expect(await schemaOf(s, connection.id)).toEqual(['accounts', 'transactions']);
  });

  it('keeps the snapshot when nothing about where it points changed', async () => {
    const s = await service();
    const connection = await created(s);
    const before = await snapshotVersions(s, connection.id);
    const schemaReads = s.fetcher.calls('schema');
    const answer = await patch(s, connection.id, { configName: `renamed-${randomUUID().slice(0, 8)}`, host: 'db.example.com' });
    expect(answer.body).toMatchObject({ schemaDiscovered: true });
    expect(s.fetcher.calls('schema')).toBe(schemaReads);
    expect(await snapshotVersions(s, connection.id)).toEqual(before);
  });
});
