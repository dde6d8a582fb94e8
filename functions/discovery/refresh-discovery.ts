import type { SyncQueue, TenantRegistry } from './cache-ports.ts';
import { MatcherError } from './errors.ts';
import type { Call } from './ports.ts';
import type { SyncResult } from './sync-tenant.ts';

export interface RefreshDependencies {
  sync: (call: Call) => Promise<SyncResult>;
  queue: SyncQueue;
  registry: Pick<TenantRegistry, 'register'>;
  /** How long the request may sync before the rest goes to the queue. */
  inlineBudgetMs: number;
}

export interface RefreshAnswer {
  connectionsSynced: number;
  /** False when the sync goes on in the background. */
  complete: boolean;
}

/**
 * Refresh discovery: a full sync of the caller's tenant now. What fits in the request's budget is done
 * inline; the rest is handed to the queue. Fetcher failing is the caller's answer (503, 502, 504); a
 * sync already running is 409 MTCH-0205.
 */
export const refreshDiscovery =
  (deps: RefreshDependencies) =>
  async (call: Call): Promise<RefreshAnswer> => {
    await deps.registry.register(call.tenantId, call);
    const result = await deps.sync({ ...call, deadline: call.deadline.within(deps.inlineBudgetMs) });
    if (result.listingError !== undefined) {
      throw result.listingError instanceof MatcherError
        ? result.listingError
        : new MatcherError('MTCH-0207', 'Fetcher failed to list the connections.');
    }
    if (!result.complete) await deps.queue.enqueue([call.tenantId], call);
    return { connectionsSynced: result.connectionsSynced, complete: result.complete };
  };
