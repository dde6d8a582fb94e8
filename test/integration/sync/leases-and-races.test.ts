import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../support/harness-process.ts';
import { type SyncService, syncServicesOnOwnTable } from '../../support/sync-service.ts';

const { service, tableName } = syncServicesOnOwnTable('leases');

/** Plants another run's lease on the tenant's sync, as a run that holds it (or crashed holding it) left it. */
const plantLease = (s: SyncService, { startedAgoMs, expiresInMs }: { startedAgoMs: number; expiresInMs: number }) =>
  s.documents.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: `TENANT#${s.tenant}`,
        sk: 'LEASE#SYNC',
        owner: 'another-run',
        startedAt: new Date(Date.now() - startedAgoMs).toISOString(),
        expiresAtMs: Date.now() + expiresInMs,
      },
    }),
  );

describe('one sync per tenant at a time', () => {
  it('answers a refresh with 409 MTCH-0205 and Retry-After while another run holds the lease, and the status says it runs', async () => {
    const s = await service();
    s.seedInFetcher(1);
    await plantLease(s, { startedAgoMs: 15_000, expiresInMs: 45_000 });

    const refused = await s.refresh();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'MTCH-0205' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(44);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(46);
    expect(s.fetcher.calls('list')).toBe(0);
    expect((await s.status()).body).toMatchObject({ connectionCount: 0, sync: { state: 'running' } });
    expect((await s.items()).get('LEASE#SYNC')).toMatchObject({ owner: 'another-run' });
  });

  it('takes over the lease of a run that crashed once it has expired, and repairs what that run left', async () => {
    const s = await service();
    const [kept, vanished] = s.seedInFetcher(1, 2);
    expect((await s.refresh()).status).toBe(200);
    // Then a run crashed mid-way: Fetcher changed since, and its lease was never released.
    expect((await s.inFetcher('DELETE', `/${vanished!.id}`)).status).toBe(204);
    const [added] = s.seedInFetcher(3);
    await plantLease(s, { startedAgoMs: 120_000, expiresInMs: -60_000 });

    const refreshed = await s.refresh();
    expect(refreshed).toMatchObject({ status: 200, body: { connectionsSynced: 2 } });
    const items = await s.items();
    expect(items.has('LEASE#SYNC')).toBe(false);
    expect(items.get(`CONN#${s.idOf(vanished!)}`)).toMatchObject({ status: 'UNREACHABLE' });
    expect(items.get(`CONN#${s.idOf(added!)}`)).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
    expect(items.get(`CONN#${s.idOf(kept!)}`)).toMatchObject({ status: 'AVAILABLE' });
    expect((await s.status()).body).toMatchObject({ connectionCount: 3, sync: { state: 'completed', connectionsSynced: 2 } });
  });
});

describe('a create racing a sync', () => {
  /**
   * Starts a sync whose first listing call Fetcher holds back until `create` is done: answered from
   * what Fetcher held before the create ('after': the answer is taken, then held) or after it ('before').
   */
  const createDuringListing = async (s: SyncService, phase: 'before' | 'after', configName: string) => {
    let release = () => {};
    s.fetcher.inject('list', { phase, times: 1, until: new Promise<void>((resolve) => (release = resolve)) });
    const sync = s.sync(s.tenant);
    expect(await waitFor(() => s.fetcher.calls('list') >= 1, 10_000, 10)).toBe(true);
    const created = await s.create({ configName });
    release();
    expect(created.status).toBe(201);
    return { created, result: await sync };
  };

  it('keeps the create’s data when the sync listed the new connection before the create wrote it', async () => {
    const s = await service();
    s.seedInFetcher(5);
    // The listing is answered after the create: the sync sees the new connection, observed earlier than the create.
    const { created, result } = await createDuringListing(s, 'before', 'created-during-sync');

    expect(result).toMatchObject({ listed: 2, created: 1, complete: true });
    const item = (await s.items()).get(`CONN#${created.body.id}`);
    expect(item).toMatchObject({ configName: 'created-during-sync', status: 'AVAILABLE', schemaDiscovered: true });
    expect(item!.lastSeenAt).toBe(created.body.lastSeenAt);
    expect((await s.status()).body).toMatchObject({ connectionCount: 2, sync: { state: 'completed' } });
  });

  it('keeps only the newer snapshot when the sync stores one while the create is still reading the schema', async () => {
    const s = await service({ SCHEMA_DISCOVERY_BUDGET_MS: '20000' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The create's schema read (the first) is answered only after the sync has stored its own snapshot.
    s.fetcher.inject('schema', { until: held, times: 1 });
    const creating = s.create({ configName: 'schema-race' });
    const cached = async () => [...(await s.items()).values()].some((item) => item.configName === 'schema-race');
    expect(await waitFor(cached, 20_000)).toBe(true);
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 1, schemasRefreshed: 1, complete: true });
    release();
    const created = await creating;
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schemaDiscovered: true });

    // The create observed its schema last: its snapshot replaces the sync's, whose chunks are gone.
    const items = await s.items();
    const versions = new Set(
      [...items.keys()].filter((sk) => sk.startsWith(`SCHEMA#${created.body.id}#`)).map((sk) => Number(sk.split('#')[2])),
    );
    expect(versions.size).toBe(1);
    expect(items.get(`CONN#${created.body.id}`)).toMatchObject({ snapshotVersion: [...versions][0] });
  });

  it('never marks UNREACHABLE a connection created after its listing, and counts it', async () => {
    const s = await service();
    s.seedInFetcher(5);
    // The listing is taken before the create and handed over after it: the sync never sees the new connection.
    const { created, result } = await createDuringListing(s, 'after', 'created-after-listing');

    expect(result).toMatchObject({ listed: 1, created: 1, unreachable: 0, complete: true });
    expect((await s.items()).get(`CONN#${created.body.id}`)).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
    expect((await s.status()).body).toMatchObject({ connectionCount: 2, sync: { state: 'completed' } });
    // The next sync lists it and finds nothing to change.
    expect(await s.sync(s.tenant)).toMatchObject({ listed: 2, unchanged: 2, created: 0, updated: 0 });
    expect((await s.status()).body).toMatchObject({ connectionCount: 2 });
  });
});
