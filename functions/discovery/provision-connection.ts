import type { ConnectionCache, SchemaSnapshots, TenantRegistry, TenantSummaries } from './cache-ports.ts';
import { connectionId } from './connection-id.ts';
import { connectionView, type CachedConnection, type ConnectionRequest, type ConnectionView } from './connection.ts';
import { MatcherError } from './errors.ts';
import type { HostPolicy } from './host-policy.ts';
import type { Call, FetcherPort, HostResolver, ProvisionObserver } from './ports.ts';
import { canonicalTables, schemaFingerprint } from './schema-fingerprint.ts';

const MIN_SCHEMA_TIME_MS = 500;

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

/** Runs a best-effort step: its failure is reported, never the answer. */
const bestEffort = async <T>(step: Promise<T>, failed: (error: unknown) => void): Promise<T | undefined> =>
  step.catch((error: unknown) => {
    failed(error);
    return undefined;
  });

/**
 * Create discovery connection: provision in Fetcher, record it in the cache, then try to discover its
 * schema within a budget. Only Fetcher's answer decides success; the cache steps are best effort
 * because the id is deterministic and a later sync repairs them.
 */
export const provisionConnection =
  (deps: ProvisionDependencies) =>
  async (request: ConnectionRequest, call: Call): Promise<ConnectionView> => {
    await refuseInwardResolution(deps, request.host);

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

    const failed = (error: unknown) => deps.observer.cacheWriteFailed('connection', error);
    const saved = await bestEffort(deps.cache.saveConnection(connection, observedAt, call), failed);
    // The first create of a tenant puts it in the scheduled sync's registry; the count follows each new item.
    await Promise.all([
      bestEffort(deps.registry.register(call.tenantId, call), failed),
      saved === 'created' ? bestEffort(deps.summaries.adjustCount(1, call), failed) : undefined,
    ]);
    // A budget of 0 turns discovery at creation off; so does too little time left to store what it finds.
    const worthTrying = deps.schemaDiscoveryBudgetMs > 0 && call.deadline.remainingMs() >= MIN_SCHEMA_TIME_MS;
    if (saved !== undefined && saved !== 'stale' && worthTrying) connection.schemaDiscovered = await discoverSchema(deps, connection, call);
    return connectionView(connection);
  };

const discoverSchema = async (deps: ProvisionDependencies, connection: CachedConnection, call: Call): Promise<boolean> => {
  const budget = { ...call, deadline: call.deadline.within(deps.schemaDiscoveryBudgetMs) };
  let tables;
  try {
    tables = await deps.fetcher.getSchema(connection.fetcherConnectionId, budget);
  } catch (error) {
    deps.observer.schemaDiscoverySkipped(error);
    return false;
  }
  const snapshot = { tables: canonicalTables(tables), fingerprint: schemaFingerprint(tables), observedAt: deps.now() };
  try {
    return (await deps.snapshots.saveSnapshot(connection, snapshot, call)) !== 'stale';
  } catch (error) {
    deps.observer.cacheWriteFailed('schema', error);
    return false;
  }
};

const refuseInwardResolution = async (deps: ProvisionDependencies, host: string): Promise<void> => {
  if (!deps.resolveHost) return;
  // A failed lookup is not a refusal: Fetcher resolves again when it dials, and may see other records.
  const addresses = await deps.resolveHost(host).catch(() => []);
  for (const address of addresses) {
    const verdict = deps.hostPolicy.checkAddress(address);
    if (!verdict.allowed) {
      throw new MatcherError('MTCH-0209', 'The host is not allowed.', {
        errors: [{ location: 'body.host', message: `host not allowed: resolves to a ${verdict.reason}`, value: host }],
      });
    }
  }
};
