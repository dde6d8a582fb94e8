import { bestEffort } from './best-effort.ts';
import type { TenantSummaries } from './cache-ports.ts';
import type { Call } from './ports.ts';
import { ownedConnection, type ChangeDependencies } from './update-connection.ts';

export interface DeleteDependencies extends Pick<ChangeDependencies, 'fetcher' | 'cache' | 'productName' | 'now' | 'observer'> {
  summaries: Pick<TenantSummaries, 'adjustCount'>;
}

/**
 * Delete discovery connection: soft delete in Fetcher, then the cached connection and its schema go,
 * leaving a tombstone no earlier sync can overwrite. Retrying is safe: Fetcher no longer holding it
 * counts as deleted, and the cache removal is done again.
 */
export const deleteConnection =
  (deps: DeleteDependencies) =>
  async (id: string, call: Call): Promise<void> => {
    const connection = await ownedConnection(deps, id, call);
    await deps.fetcher.deleteConnection(connection.fetcherConnectionId, call);
    const removed = await deps.cache.removeConnection(connection, deps.now(), call);
    if (removed !== 'stale') await bestEffort(deps.summaries.adjustCount(-1, call), (e) => deps.observer.cacheWriteFailed('count', e));
  };
