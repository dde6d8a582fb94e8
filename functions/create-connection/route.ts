import { randomUUID } from 'node:crypto';
import type { Container } from '../composition/container.ts';
import { connectionCache, schemaSnapshots, tenantRegistry, tenantSummaries } from '../composition/dynamodb.ts';
import { fetcher } from '../composition/fetcher.ts';
import { httpRoute } from '../composition/http-route.ts';
import { idempotencyFor } from '../composition/idempotency.ts';
import { hostPolicy, hostResolver } from '../composition/host-policy.ts';
import { requestOptions } from '../composition/request.ts';
import { provisionConnection } from '../discovery/provision-connection.ts';
import { connectionRequestSchema } from '../http/connection-request-schema.ts';
import { created } from '../http/responses.ts';
import { logger } from '../observability/logger.ts';
import { metrics } from '../observability/metrics.ts';
import { createProvisionObserver } from '../observability/provision-observer.ts';

/** POST /v1/discovery/connections: provision in Fetcher, cache it, answer 201. Idempotency-Key honoured. */
export const createConnectionRoute = async (container: Container) => {
  const policy = await hostPolicy(container);
  const provision = provisionConnection({
    fetcher: await fetcher(container),
    cache: await connectionCache(container),
    snapshots: await schemaSnapshots(container),
    summaries: await tenantSummaries(container),
    registry: await tenantRegistry(container),
    hostPolicy: policy,
    resolveHost: await hostResolver(container),
    observer: createProvisionObserver(logger, metrics),
    schemaDiscoveryBudgetMs: (await requestOptions(container)).schemaDiscoveryBudgetMs,
    now: () => new Date(),
    newRequestId: randomUUID,
  });
  return httpRoute(
    container,
    { permission: 'write', body: connectionRequestSchema(policy), idempotency: await idempotencyFor(container, 'create-connection') },
    async ({ body, call }) => created(await provision(body, call)),
  );
};
