import type { Container } from '../composition/container.ts';
import { connectionCache, tenantSummaries } from '../composition/dynamodb.ts';
import { httpRoute } from '../composition/http-route.ts';
import { getConnection } from '../discovery/get-connection.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ok } from '../http/responses.ts';

/** GET /v1/discovery/connections/{connectionId}: one cached connection of the caller's tenant. */
export const getConnectionRoute = async (container: Container) => {
  const find = getConnection({ cache: await connectionCache(container), summaries: await tenantSummaries(container) });
  return httpRoute(container, { permission: 'read', path: connectionPath }, async ({ path, call }) =>
    ok(await find(path.connectionId, call)),
  );
};
