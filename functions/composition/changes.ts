import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { createProvisionObserver } from '../observability/provision-observer.ts';
import { part } from './container.ts';
import { connectionCache, schemaSnapshots } from './dynamodb.ts';
import { fetcher, fetcherOptions } from './fetcher.ts';
import { hostPolicy, hostResolver, requestOptions } from './request.ts';

/** What the routes that change a connection (update, delete) share: Fetcher, the cache, the host policy. */
export const changeDependencies = part(async (container) => {
  const resolveHost = await hostResolver(container);
  return {
    fetcher: await fetcher(container),
    cache: await connectionCache(container),
    snapshots: await schemaSnapshots(container),
    hostPolicy: await hostPolicy(container),
    ...(resolveHost ? { resolveHost } : {}),
    observer: createProvisionObserver(logger, metrics),
    productName: (await fetcherOptions(container)).productName,
    schemaDiscoveryBudgetMs: (await requestOptions(container)).schemaDiscoveryBudgetMs,
    now: () => new Date(),
  };
});
