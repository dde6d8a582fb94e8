import { describe, expect, it } from 'vitest';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { connectionView } from '../../../functions/discovery/connection.ts';
import { Deadline } from '../../../functions/discovery/deadline.ts';
import type { Call } from '../../../functions/discovery/ports.ts';
import { syncTenant, type SyncOptions } from '../../../functions/discovery/sync-tenant.ts';
import { inMemoryCache } from './in-memory-cache.ts';
import { fetcherConnection, inMemoryFetcher } from './in-memory-fetcher.ts';

const TENANT = 'tenant-a';
const OPTIONS: SyncOptions = {
  productName: 'matcher',
  historyMonths: 24,
  windowDays: 28,
  schemaMaxAgeMs: 86_400_000,
  schemaConcurrency: 4,
};

/** A sync over in-memory ports, on a clock the test moves. */
const world = (start = new Date('2026-11-30T15:00:00Z')) => {
  let now = start.getTime();
  const clock = () => now;
  const memory = inMemoryCache(clock);
  const fetcher = inMemoryFetcher();
  let owners = 0;
  const sync = syncTenant({
    fetcher,
    cache: memory.cache,
    snapshots: memory.snapshots,
    summaries: memory.summaries,
    leases: memory.leases,
    options: OPTIONS,
    now: () => new Date(now),
    newOwner: () => `owner-${++owners}`,
  });
  const call = (ms = 60_000): Call => ({ tenantId: TENANT, requestId: 'sync', deadline: Deadline.at(now + ms, clock) });
  return {
    memory,
    fetcher,
    call,
    run: (ms?: number) => sync(call(ms)),
    advance: (ms: number) => (now += ms),
    now: () => new Date(now),
    cached: async () => memory.cache.loadConnections(call()),
    idOf: (fetcherId: string) => connectionId(TENANT, fetcherId),
  };
};

describe('syncTenant', () => {
  it('caches a connection created in Fetcher only, with its schema, and counts it', async () => {
    const w = world();
    const made = fetcherConnection(w.now(), 3);
    w.fetcher.held.push(made);
    const result = await w.run();
    expect(result).toMatchObject({
      listed: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      schemasRefreshed: 1,
      complete: true,
      connectionsSynced: 1,
    });
    const [cached] = await w.cached();
    expect(cached).toMatchObject({ id: w.idOf(made.fetcherConnectionId), status: 'AVAILABLE', schemaDiscovered: true });
    expect((await w.memory.summaries.read(w.call())).connectionCount).toBe(1);
  });

  it('marks a connection deleted in Fetcher UNREACHABLE with its schema dropped, and revives it under the same id', async () => {
    const w = world();
    const made = fetcherConnection(w.now(), 3);
    w.fetcher.held.push(made);
    await w.run();
    w.fetcher.held.length = 0;
    w.advance(60_000);
    expect(await w.run()).toMatchObject({ unreachable: 1, listingComplete: true });
    const [gone] = await w.cached();
    expect(gone).toMatchObject({ status: 'UNREACHABLE', schemaDiscovered: false });
    expect(gone!.snapshot).toBeUndefined();
    expect(w.memory.tables.size).toBe(0);
    // lastSeenAt is the last time Fetcher listed it: the first run.
    expect(gone!.lastSeenAt.toISOString()).toBe('2026-11-30T15:00:00.000Z');

    w.fetcher.held.push(made);
    w.advance(60_000);
    expect(await w.run()).toMatchObject({ revived: 1, schemasRefreshed: 1 });
    const [back] = await w.cached();
    expect(back).toMatchObject({ id: gone!.id, status: 'AVAILABLE', schemaDiscovered: true });
  });

  it('updates a renamed connection and writes nothing for one that did not change', async () => {
    const w = world();
    const renamed = fetcherConnection(w.now(), 3);
    const same = fetcherConnection(w.now(), 4);
    w.fetcher.held.push(renamed, same);
    await w.run();
    renamed.configName = 'ledger-renamed';
    w.memory.writes.length = 0;
    w.advance(60_000);
    expect(await w.run()).toMatchObject({ updated: 1, unchanged: 1, created: 0 });
    expect(w.memory.writes.filter((write) => write.startsWith('save:'))).toEqual(['save:ledger-renamed']);
    expect((await w.cached()).map((c) => c.configName).sort()).toEqual(['ledger-renamed', same.configName].sort());
  });

  it('stores a new snapshot when the schema changed, and only then', async () => {
    const w = world();
    const made = fetcherConnection(w.now(), 3);
    w.fetcher.held.push(made);
    w.fetcher.schemas.set(made.fetcherConnectionId, [{ name: 'old_table', columns: [{ name: 'id' }] }]);
    await w.run();
    // A day later the snapshot is due: the same schema costs only its check time.
    w.advance(86_400_000);
    expect(await w.run()).toMatchObject({ schemasRefreshed: 0 });
    expect(w.memory.writes.filter((write) => write.startsWith('confirm:'))).toHaveLength(1);
    w.fetcher.schemas.set(made.fetcherConnectionId, [{ name: 'new_table', columns: [{ name: 'id' }, { name: 'amount' }] }]);
    w.advance(86_400_000);
    expect(await w.run()).toMatchObject({ schemasRefreshed: 1 });
    const [cached] = await w.cached();
    expect(await w.memory.snapshots.readSnapshot(cached!, w.call())).toEqual([
      { name: 'new_table', columns: [{ name: 'amount' }, { name: 'id' }] },
    ]);
  });

  it('keeps the previous snapshot when the schema call fails, and goes on with the others', async () => {
    const w = world();
    const [a, b] = [fetcherConnection(w.now(), 3), fetcherConnection(w.now(), 4)];
    w.fetcher.held.push(a, b);
    await w.run();
    w.advance(86_400_000);
    w.fetcher.schemas.set(a.fetcherConnectionId, new Error('database down'));
    w.fetcher.schemas.set(b.fetcherConnectionId, [{ name: 'changed', columns: [] }]);
    expect(await w.run()).toMatchObject({ schemasFailed: 1, schemasRefreshed: 1 });
    const cachedA = (await w.cached()).find((c) => c.fetcherConnectionId === a.fetcherConnectionId)!;
    expect(cachedA.schemaDiscovered).toBe(true);
    expect(await w.memory.snapshots.readSnapshot(cachedA, w.call())).toEqual([{ name: 'accounts', columns: [{ name: 'id' }] }]);
  });

  it('marks nothing UNREACHABLE when the listing fails part way, and says so', async () => {
    const w = world();
    const recent = fetcherConnection(w.now(), 1);
    const old = fetcherConnection(w.now(), 200);
    w.fetcher.held.push(recent, old);
    await w.run();
    w.fetcher.failListingFrom = w.fetcher.listCalls.length + 2;
    w.advance(60_000);
    const result = await w.run();
    expect(result).toMatchObject({ listingComplete: false, complete: false, unreachable: 0 });
    expect(result.listingError).toMatchObject({ code: 'MTCH-0203' });
    expect((await w.cached()).every((c) => c.status === 'AVAILABLE')).toBe(true);
    expect((await w.memory.summaries.read(w.call())).lastRun).toMatchObject({ outcome: 'incomplete' });
  });

  it('refuses a second run while the lease is held, and takes over once it has expired', async () => {
    const w = world();
    await w.memory.leases.acquire('crashed-run', 60_000, w.call());
    await expect(w.run()).rejects.toMatchObject({ code: 'MTCH-0205', retryAfterSeconds: 60 });
    w.advance(61_000);
    w.fetcher.held.push(fetcherConnection(w.now(), 1));
    await expect(w.run()).resolves.toMatchObject({ created: 1, complete: true });
    expect(await w.memory.leases.current(w.call())).toBeUndefined();
  });

  it('never undoes a create made while it runs: the newer observation wins', async () => {
    const w = world();
    const made = fetcherConnection(w.now(), 1);
    w.fetcher.held.push(made);
    const original = w.fetcher.listConnections.bind(w.fetcher);
    // The create lands in the cache after the sync began and before it writes.
    w.fetcher.listConnections = async (query, call) => {
      const page = await original(query, call);
      if (query.page === 1 && w.fetcher.listCalls.length === 1) {
        const created = { ...made, tenantId: TENANT, id: w.idOf(made.fetcherConnectionId), status: 'AVAILABLE' as const };
        await w.memory.cache.saveConnection(
          { ...created, configName: 'from-the-create', schemaDiscovered: false, lastSeenAt: new Date(w.now().getTime() + 5) },
          new Date(w.now().getTime() + 5),
          call,
        );
      }
      return page;
    };
    const result = await w.run();
    expect(result.created).toBe(0);
    expect((await w.cached())[0]!.configName).toBe('from-the-create');
  });

  it('keeps a count a create adjusted while it ran, adding what it created, rather than its own recount', async () => {
    const w = world();
    w.fetcher.held.push(fetcherConnection(w.now(), 1));
    const original = w.fetcher.listConnections.bind(w.fetcher);
    // A create lands after the sync loaded the cache: an item it never saw, and the count adjusted for it.
    w.fetcher.listConnections = async (query, call) => {
      if (w.fetcher.listCalls.length === 0) {
        const made = fetcherConnection(w.now(), 0);
        const id = w.idOf(made.fetcherConnectionId);
        const at = new Date(w.now().getTime() + 5);
        await w.memory.cache.saveConnection(
          { ...made, tenantId: TENANT, id, status: 'AVAILABLE', schemaDiscovered: false, lastSeenAt: at },
          at,
          call,
        );
        await w.memory.summaries.adjustCount(1, call);
      }
      return original(query, call);
    };
    expect(await w.run()).toMatchObject({ created: 1, complete: true });
    expect((await w.memory.summaries.read(w.call())).connectionCount).toBe(2);
    // With nothing adjusting it, the next run's recount stands.
    w.fetcher.listConnections = original;
    w.advance(60_000);
    await w.memory.summaries.adjustCount(5, w.call());
    await w.run();
    expect((await w.memory.summaries.read(w.call())).connectionCount).toBe(2);
  });

  it('writes a first sync’s new connections a hundred to a write, and their first snapshots fifty to a write', async () => {
    const w = world();
    for (let i = 0; i < 250; i++) w.fetcher.held.push(fetcherConnection(w.now(), i));
    expect(await w.run()).toMatchObject({ created: 250, schemasRefreshed: 250, complete: true });
    expect(w.memory.writes.filter((write) => write.startsWith('save'))).toEqual(['save-new:100', 'save-new:100', 'save-new:50']);
    expect(w.memory.writes.filter((write) => write.startsWith('snapshot'))).toEqual(Array(5).fill('snapshots:50'));
    expect((await w.memory.summaries.read(w.call())).connectionCount).toBe(250);
  });

  it('stops within its budget, says it is incomplete, and releases the lease', async () => {
    const w = world();
    w.fetcher.held.push(fetcherConnection(w.now(), 1));
    const result = await w.run(1_000);
    expect(result.complete).toBe(false);
    expect(await w.memory.leases.current(w.call())).toBeUndefined();
  });

  it('costs no connection write on a re-sync with no change, and reads lastSeenAt from the run', async () => {
    const w = world();
    for (let i = 0; i < 50; i++) w.fetcher.held.push(fetcherConnection(w.now(), i));
    await w.run();
    w.memory.writes.length = 0;
    w.advance(300_000);
    expect(await w.run()).toMatchObject({ unchanged: 50, created: 0, updated: 0, complete: true });
    expect(w.memory.writes).toEqual(['run']);
    const summary = await w.memory.summaries.read(w.call());
    const [cached] = await w.cached();
    expect(connectionView(cached!, summary.lastListedAt).lastSeenAt).toBe(w.now().toISOString());
    expect(summary).toMatchObject({ connectionCount: 50, lastRun: { outcome: 'completed', connectionsSynced: 50 } });
  });
});
