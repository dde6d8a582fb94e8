import type { Container } from '../composition/container.ts';
import { cursorCodec } from '../composition/cursors.ts';
import { connectionCache, tenantSummaries } from '../composition/dynamodb.ts';
import { httpRoute } from '../composition/http-route.ts';
import { listConnections } from '../discovery/list-connections.ts';
import { LIST_QUERY_ECHO, listQuerySchema } from '../http/list-query-schema.ts';
import { ok } from '../http/responses.ts';

/** GET /v1/discovery/connections: a page of the caller's tenant's connections, filtered, with a cursor to the next. */
export const listConnectionsRoute = async (container: Container) => {
  const cursors = await cursorCodec(container);
  const list = listConnections({ cache: await connectionCache(container), summaries: await tenantSummaries(container), cursors });
  return httpRoute(
    container,
    { permission: 'read', query: listQuerySchema(cursors), queryEcho: LIST_QUERY_ECHO },
    async ({ query, call }) => ok(await list(query, call)),
  );
};
