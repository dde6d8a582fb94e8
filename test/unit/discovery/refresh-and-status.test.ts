import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/discovery/deadline.ts';
import { discoveryStatus } from '../../../functions/discovery/discovery-status.ts';
import { dispatchSyncs } from '../../../functions/discovery/dispatch-syncs.ts';
import { MatcherError } from '../../../functions/discovery/errors.ts';
import { refreshDiscovery } from '../../../functions/discovery/refresh-discovery.ts';
import type { SyncResult } from '../../../functions/discovery/sync-tenant.ts';
import { inMemoryCache } from './in-memory-cache.ts';

const call = { tenantId: 't-1', requestId: 'r', deadline: Deadline.in(25_000) };
const result = (overrides: Partial<SyncResult>): SyncResult => ({
  listed: 3,
  created: 1,
  updated: 0,
  unchanged: 2,
  unreachable: 0,
  revived: 0,
  schemasRefreshed: 1,
  schemasFailed: 0,
  connectionsSynced: 3,
  listingComplete: true,
  complete: true,
  ...overrides,
});

describe('refreshDiscovery', () => {
  it('answers a sync done inline, registers the tenant and enqueues nothing', async () => {
    const memory = inMemoryCache();
    const budgets: number[] = [];
    const refresh = refreshDiscovery({
      sync: async (c) => (budgets.push(c.deadline.remainingMs()), result({})),
      queue: memory.queue,
      registry: memory.registry,
      inlineBudgetMs: 5_000,
    });
    expect(await refresh(call)).toEqual({ connectionsSynced: 3, complete: true });
    expect(budgets[0]).toBeLessThanOrEqual(5_000);
    expect([...memory.registered]).toEqual(['t-1']);
    expect(memory.enqueued).toEqual([]);
  });

  it('hands an unfinished sync to the queue', async () => {
    const memory = inMemoryCache();
    const refresh = refreshDiscovery({
      sync: async () => result({ complete: false }),
      queue: memory.queue,
      registry: memory.registry,
      inlineBudgetMs: 1,
    });
    expect(await refresh(call)).toEqual({ connectionsSynced: 3, complete: false });
    expect(memory.enqueued).toEqual(['t-1']);
  });

  it('answers Fetcher’s failure when the listing failed, and enqueues nothing', async () => {
    const memory = inMemoryCache();
    const down = new MatcherError('MTCH-0203', 'down', { retryAfterSeconds: 5 });
    const refresh = refreshDiscovery({
      sync: async () => result({ listingComplete: false, complete: false, listingError: down }),
      queue: memory.queue,
      registry: memory.registry,
      inlineBudgetMs: 1_000,
    });
    await expect(refresh(call)).rejects.toBe(down);
    expect(memory.enqueued).toEqual([]);
  });
});

describe('discoveryStatus', () => {
  it('is idle before any sync, running under a lease, and the last outcome after', async () => {
    const memory = inMemoryCache();
    const status = discoveryStatus({ fetcher: { isHealthy: async () => true }, summaries: memory.summaries, leases: memory.leases });
    expect(await status(call)).toEqual({ fetcherHealthy: true, connectionCount: 0, sync: { state: 'idle' } });

    await memory.leases.acquire('owner', 60_000, call);
    expect((await status(call)).sync).toMatchObject({ state: 'running', startedAt: expect.any(String) });
    await memory.leases.release('owner', call);

    const startedAt = new Date('2026-11-30T10:00:00Z');
    const finishedAt = new Date('2026-11-30T10:00:03Z');
    await memory.summaries.recordRun(
      { startedAt, finishedAt, outcome: 'completed', connectionsSynced: 7 },
      { connectionCount: 7, listedAt: startedAt, countRevision: 0, created: 7 },
      call,
    );
    expect(await status(call)).toEqual({
      fetcherHealthy: true,
      connectionCount: 7,
      lastSyncAt: finishedAt.toISOString(),
      sync: { state: 'completed', startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), connectionsSynced: 7 },
    });
  });

  it('asks Fetcher’s health with a short timeout of its own', async () => {
    const memory = inMemoryCache();
    let given = 0;
    const status = discoveryStatus({
      fetcher: { isHealthy: async (c) => ((given = c.deadline.remainingMs()), false) },
      summaries: memory.summaries,
      leases: memory.leases,
    });
    expect((await status(call)).fetcherHealthy).toBe(false);
    expect(given).toBeLessThanOrEqual(2_000);
  });
});

describe('dispatchSyncs', () => {
  it('sends one message per registered tenant', async () => {
    const memory = inMemoryCache();
    for (const tenant of ['a', 'b', 'c']) await memory.registry.register(tenant, call);
    expect(await dispatchSyncs({ registry: memory.registry, queue: memory.queue })(call)).toEqual({ tenants: 3 });
    expect(memory.enqueued).toEqual(['a', 'b', 'c']);
  });
});
