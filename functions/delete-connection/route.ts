import { changeDependencies } from '../composition/changes.ts';
import type { Container } from '../composition/container.ts';
import { tenantSummaries } from '../composition/dynamodb.ts';
import { httpRoute } from '../composition/http-route.ts';
import { deleteConnection } from '../discovery/delete-connection.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { noContent } from '../http/responses.ts';

/** DELETE /v1/discovery/connections/{connectionId}: soft delete in Fetcher, then out of the cache. */
export const deleteConnectionRoute = async (container: Container) => {
  const remove = deleteConnection({ ...(await changeDependencies(container)), summaries: await tenantSummaries(container) });
  return httpRoute(container, { permission: 'write', path: connectionPath }, async ({ path, call }) => {
    await remove(path.connectionId, call);
    return noContent();
  });
};
