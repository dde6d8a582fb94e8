import { changeDependencies } from '../composition/changes.ts';
import type { Container } from '../composition/container.ts';
import { schemaSnapshots } from '../composition/dynamodb.ts';
import { hostPolicy, hostResolver } from '../composition/host-policy.ts';
import { httpRoute } from '../composition/http-route.ts';
import { idempotencyFor } from '../composition/idempotency.ts';
import { requestOptions } from '../composition/request.ts';
import { updateConnection } from '../discovery/update-connection.ts';
import { connectionUpdateSchema } from '../http/connection-request-schema.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ok } from '../http/responses.ts';

/** PATCH /v1/discovery/connections/{connectionId}: change a Matcher-owned connection in Fetcher, then the cache. */
export const updateConnectionRoute = async (container: Container) => {
  const policy = await hostPolicy(container);
  const resolveHost = await hostResolver(container);
  const update = updateConnection({
    ...(await changeDependencies(container)),
    snapshots: await schemaSnapshots(container),
    hostPolicy: policy,
    ...(resolveHost ? { resolveHost } : {}),
    schemaDiscoveryBudgetMs: (await requestOptions(container)).schemaDiscoveryBudgetMs,
  });
  return httpRoute(
    container,
    {
      permission: 'write',
      path: connectionPath,
      body: connectionUpdateSchema(policy),
      idempotency: await idempotencyFor(container, 'update-connection'),
    },
    async ({ path, body, call }) => ok(await update(path.connectionId, body, call)),
  );
};
