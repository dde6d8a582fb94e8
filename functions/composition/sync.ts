import { randomUUID } from 'node:crypto';
import { syncSection } from '../config/sync-section.ts';
import { syncTenant } from '../discovery/sync-tenant.ts';
import { part, sectionPart } from './container.ts';
import { connectionCache, schemaSnapshots, syncLeases, tenantSummaries } from './dynamodb.ts';
import { fetcher, fetcherOptions } from './fetcher.ts';

export const syncOptions = sectionPart(syncSection);

/** One tenant's sync, wired to Fetcher and the cache. */
export const tenantSync = part(async (container) => {
  const [options, { productName }] = await Promise.all([syncOptions(container), fetcherOptions(container)]);
  return syncTenant({
    fetcher: await fetcher(container),
    cache: await connectionCache(container),
    snapshots: await schemaSnapshots(container),
    summaries: await tenantSummaries(container),
    leases: await syncLeases(container),
    options: { ...options.sync, productName },
    now: () => new Date(),
    newOwner: randomUUID,
  });
});
