import { bestEffort } from './best-effort.ts';
import type { ConnectionCache, SchemaSnapshots } from './cache-ports.ts';
import { notFound } from './connection-schema.ts';
import { connectionView, type CachedConnection, type ConnectionChanges, type ConnectionView } from './connection.ts';
import { discoverSchema } from './discover-schema.ts';
import { MatcherError } from './errors.ts';
import type { HostPolicy } from './host-policy.ts';
import { refuseInwardResolution } from './host-resolution.ts';
import type { Call, FetcherPort, HostResolver, ProvisionObserver } from './ports.ts';

export interface ChangeDependencies {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  snapshots: SchemaSnapshots;
  hostPolicy: HostPolicy;
  resolveHost?: HostResolver;
  observer: ProvisionObserver;
  /** X-Product-Name: only connections of this product are Matcher's to change. */
  productName: string;
  schemaDiscoveryBudgetMs: number;
  now: () => Date;
}

// Changing any of these points the connection at another database, or lets it see other tables.
const WHERE_IT_POINTS = ['host', 'port', 'databaseName', 'schema', 'userName', 'password'] as const;

/** The cached connection with this id, if the caller's tenant has it and Matcher owns it in Fetcher. */
export const ownedConnection = async (deps: Pick<ChangeDependencies, 'cache' | 'productName'>, id: string, call: Call) => {
  const connection = await deps.cache.findConnection(id, call);
  if (!connection) throw notFound();
  if ((connection.productName ?? '').toLowerCase() !== deps.productName.toLowerCase()) {
    throw new MatcherError('MTCH-0004', 'This connection is not owned by Matcher in Fetcher; change it there.');
  }
  return connection;
};

/**
 * Update discovery connection: change a Matcher-owned connection in Fetcher, then the cache in the same
 * request. A change of where it points makes the stored schema stale: it is rediscovered within the
 * budget, or forgotten until the sync finds it again.
 */
export const updateConnection =
  (deps: ChangeDependencies) =>
  async (id: string, changes: ConnectionChanges, call: Call): Promise<ConnectionView> => {
    const before = await ownedConnection(deps, id, call);
    if (changes.host !== undefined) await refuseInwardResolution(deps.hostPolicy, deps.resolveHost, changes.host);

    let after;
    try {
      after = await deps.fetcher.updateConnection(before.fetcherConnectionId, changes, call);
    } catch (error) {
      // Fetcher no longer holds it: the cache stops saying it is available.
      if (error instanceof MatcherError && error.code === 'MTCH-0201') {
        const gone: CachedConnection = { ...before, status: 'UNREACHABLE', schemaDiscovered: false };
        await bestEffort(deps.cache.markUnreachable(gone, deps.now(), call), (e) => deps.observer.cacheWriteFailed('connection', e));
      }
      throw error;
    }
    const observedAt = deps.now();
    const connection: CachedConnection = { ...before, ...after, status: 'AVAILABLE', lastSeenAt: observedAt };
    const saved = await bestEffort(deps.cache.saveConnection(connection, observedAt, call), (e) =>
      deps.observer.cacheWriteFailed('connection', e),
    );
    const moved = WHERE_IT_POINTS.some(
      (field) => changes[field] !== undefined && (field === 'password' || changes[field] !== before[field]),
    );
    if (moved && saved !== undefined && saved !== 'stale') {
      connection.schemaDiscovered = await discoverSchema(deps, connection, call);
      if (!connection.schemaDiscovered && before.schemaDiscovered) {
        await bestEffort(deps.snapshots.discardSnapshot(connection, observedAt, call), (e) => deps.observer.cacheWriteFailed('schema', e));
      }
    }
    return connectionView(connection);
  };
