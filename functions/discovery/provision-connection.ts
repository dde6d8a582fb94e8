import type { ConnectionCache, SchemaSnapshots, TenantRegistry, TenantSummaries } from './cache-ports.ts';
import { connectionId } from './connection-id.ts';
import { connectionView, type CachedConnection, type ConnectionRequest, type ConnectionView } from './connection.ts';
import { bestEffort } from './best-effort.ts';
import { discoverSchema } from './discover-schema.ts';
import type { HostPolicy } from './host-policy.ts';
import { refuseInwardResolution } from './host-resolution.ts';
import type { CacheStep, Call, FetcherPort, HostResolver, ProvisionObserver } from './ports.ts';

export interface ProvisionDependencies {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  snapshots: SchemaSnapshots;
  summaries: Pick<TenantSummaries, 'adjustCount'>;
  registry: Pick<TenantRegistry, 'register'>;
  hostPolicy: HostPolicy;
  /** Present only when HOST_DNS_CHECK is on. */
  resolveHost?: HostResolver;
  observer: ProvisionObserver;
  schemaDiscoveryBudgetMs: number;
  now: () => Date;
  newRequestId: () => string;
}

/**
 * Create discovery connection: provision in Fetcher, record it in the cache, then try to discover its
 * schema within a budget. Only Fetcher's answer decides success; the cache steps are best effort
 * because the id is deterministic and a later sync repairs them.
 */
export const provisionConnection =
  (deps: ProvisionDependencies) =>
  async (request: ConnectionRequest, call: Call): Promise<ConnectionView> => {
    await refuseInwardResolution(deps.hostPolicy, deps.resolveHost, request.host);

    const created = await deps.fetcher.createConnection({ ...request, matcherRequestId: deps.newRequestId() }, call);
    const observedAt = deps.now();
    const connection: CachedConnection = {
      ...created,
      tenantId: call.tenantId,
      id: connectionId(call.tenantId, created.fetcherConnectionId),
      status: 'AVAILABLE',
      schemaDiscovered: false,
      lastSeenAt: observedAt,
    };
    deps.observer.connectionCreated(connection);

    const failed = (step: CacheStep) => (error: unknown) => deps.observer.cacheWriteFailed(step, error);
    const saved = await bestEffort(deps.cache.saveConnection(connection, observedAt, call), failed('connection'));
    // The first create of a tenant puts it in the scheduled sync's registry; the count follows each new item.
    await Promise.all([
      bestEffort(deps.registry.register(call.tenantId, call), failed('registry')),
      saved === 'created' ? bestEffort(deps.summaries.adjustCount(1, call), failed('count')) : undefined,
    ]);
    if (saved !== undefined && saved !== 'stale') connection.schemaDiscovered = await discoverSchema(deps, connection, call);
    return connectionView(connection);
  };
