import type { Container } from '../composition/container.ts';
import { syncLeases, tenantSummaries } from '../composition/dynamodb.ts';
import { fetcher } from '../composition/fetcher.ts';
import { httpRoute } from '../composition/http-route.ts';
import { discoveryStatus } from '../discovery/discovery-status.ts';
import { ok } from '../http/responses.ts';

/** GET /v1/discovery/status: Fetcher's health, the tenant's connection count and its sync. */
export const discoveryStatusRoute = async (container: Container) => {
  const status = discoveryStatus({
    fetcher: await fetcher(container),
    summaries: await tenantSummaries(container),
    leases: await syncLeases(container),
  });
  return httpRoute(container, { permission: 'read' }, async ({ call }) => ok(await status(call)));
};
