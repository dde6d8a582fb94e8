import type { RunOutcome, SyncLeases, TenantSummaries } from './cache-ports.ts';
import type { Call, FetcherPort } from './ports.ts';

// The health check is a glance, not a wait: Fetcher that does not answer this soon is not healthy.
const HEALTH_TIMEOUT_MS = 2_000;

export interface DiscoveryStatus {
  fetcherHealthy: boolean;
  connectionCount: number;
  lastSyncAt?: string;
  sync: { state: 'idle' | 'running' | RunOutcome; startedAt?: string; finishedAt?: string; connectionsSynced?: number };
}

export interface StatusDependencies {
  fetcher: Pick<FetcherPort, 'isHealthy'>;
  summaries: Pick<TenantSummaries, 'read'>;
  leases: Pick<SyncLeases, 'current'>;
}

/** Get discovery status: Fetcher's health, and the tenant's count and sync, in two reads whatever its size. */
export const discoveryStatus =
  ({ fetcher, summaries, leases }: StatusDependencies) =>
  async (call: Call): Promise<DiscoveryStatus> => {
    const [fetcherHealthy, summary, lease] = await Promise.all([
      fetcher.isHealthy({ ...call, deadline: call.deadline.within(HEALTH_TIMEOUT_MS) }),
      summaries.read(call),
      leases.current(call),
    ]);
    const { lastRun } = summary;
    const sync: DiscoveryStatus['sync'] = lease
      ? { state: 'running', startedAt: lease.startedAt.toISOString() }
      : lastRun
        ? {
            state: lastRun.outcome,
            startedAt: lastRun.startedAt.toISOString(),
            finishedAt: lastRun.finishedAt.toISOString(),
            connectionsSynced: lastRun.connectionsSynced,
          }
        : { state: 'idle' };
    return {
      fetcherHealthy,
      connectionCount: summary.connectionCount,
      ...(summary.lastSyncAt ? { lastSyncAt: summary.lastSyncAt.toISOString() } : {}),
      sync,
    };
  };
