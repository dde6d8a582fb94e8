import type { Container } from '../composition/container.ts';
import { tenantRegistry } from '../composition/dynamodb.ts';
import { httpRoute } from '../composition/http-route.ts';
import { syncQueue } from '../composition/sync-queue.ts';
import { syncOptions, tenantSync } from '../composition/sync.ts';
import { refreshDiscovery } from '../discovery/refresh-discovery.ts';
import { accepted, ok } from '../http/responses.ts';

/** POST /v1/discovery/refresh: sync the caller's tenant now; 200 when done inline, 202 when it goes on in the background. */
export const refreshDiscoveryRoute = async (container: Container) => {
  const refresh = refreshDiscovery({
    sync: await tenantSync(container),
    queue: await syncQueue(container),
    registry: await tenantRegistry(container),
    inlineBudgetMs: (await syncOptions(container)).refreshInlineBudgetMs,
  });
  return httpRoute(container, { permission: 'write' }, async ({ call }) => {
    const { connectionsSynced, complete } = await refresh(call);
    return complete ? ok({ connectionsSynced }) : accepted({ connectionsSynced, complete: false });
  });
};
