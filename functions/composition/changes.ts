import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { createProvisionObserver } from '../observability/provision-observer.ts';
import { part } from './container.ts';
import { connectionCache } from './dynamodb.ts';
import { fetcher, fetcherOptions } from './fetcher.ts';

/** What the routes that change a Matcher-owned connection (update, delete) share: Fetcher, the cache, whose it is. */
export const changeDependencies = part(async (container) => ({
  fetcher: await fetcher(container),
  cache: await connectionCache(container),
  observer: createProvisionObserver(logger, metrics),
  productName: (await fetcherOptions(container)).productName,
  now: () => new Date(),
}));
