import type { Container } from '../composition/container.ts';
import { connectionCache, schemaSnapshots } from '../composition/dynamodb.ts';
import { httpRoute } from '../composition/http-route.ts';
import { getConnectionSchema } from '../discovery/connection-schema.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ok } from '../http/responses.ts';

/** GET /v1/discovery/connections/{connectionId}/schema: the stored schema snapshot, tables sorted by name. */
export const getConnectionSchemaRoute = async (container: Container) => {
  const schema = getConnectionSchema({ cache: await connectionCache(container), snapshots: await schemaSnapshots(container) });
  return httpRoute(container, { permission: 'read', path: connectionPath }, async ({ path, call }) =>
    ok(await schema(path.connectionId, call)),
  );
};
