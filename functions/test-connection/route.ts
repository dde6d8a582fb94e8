import type { Container } from '../composition/container.ts';
import { connectionCache } from '../composition/dynamodb.ts';
import { fetcher } from '../composition/fetcher.ts';
import { httpRoute } from '../composition/http-route.ts';
import { testConnection } from '../discovery/test-connection.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ok } from '../http/responses.ts';

/** POST /v1/discovery/connections/{connectionId}/test: Fetcher dials the database; the answer says whether it could. */
export const testConnectionRoute = async (container: Container) => {
  const test = testConnection({ cache: await connectionCache(container), fetcher: await fetcher(container) });
  return httpRoute(container, { permission: 'write', path: connectionPath }, async ({ path, call }) =>
    ok(await test(path.connectionId, call)),
  );
};
