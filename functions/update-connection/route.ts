import { changeDependencies } from '../composition/changes.ts';
import type { Container } from '../composition/container.ts';
import { httpRoute } from '../composition/http-route.ts';
import { idempotencyFor } from '../composition/idempotency.ts';
import { updateConnection } from '../discovery/update-connection.ts';
import { connectionUpdateSchema } from '../http/connection-request-schema.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ok } from '../http/responses.ts';

/** PATCH /v1/discovery/connections/{connectionId}: change a Matcher-owned connection in Fetcher, then the cache. */
export const updateConnectionRoute = async (container: Container) => {
  const deps = await changeDependencies(container);
  const update = updateConnection(deps);
  return httpRoute(
    container,
    {
      permission: 'write',
      path: connectionPath,
      body: connectionUpdateSchema(deps.hostPolicy),
      idempotency: await idempotencyFor(container, 'update-connection'),
    },
    async ({ path, body, call }) => ok(await update(path.connectionId, body, call)),
  );
};
