/**
 * Every HTTP route and the function that serves it. The CDK stack and the local harness both read this
 * table, so a route cannot exist in one and not the other.
 */
export interface Route {
  /** API Gateway's route key. */
  routeKey: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** The function that serves it (functions/lambda-functions.ts), also its folder under functions/. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
}

const route = (method: Route['method'], path: string, name: string): Route => ({
  routeKey: `${method} ${path}`,
  method,
  path,
  name,
  entry: `functions/${name}/handler.ts`,
});

export const ROUTES: readonly Route[] = [
  route('POST', '/v1/discovery/connections', 'create-connection'),
  route('GET', '/v1/discovery/connections', 'list-connections'),
  route('GET', '/v1/discovery/connections/{connectionId}', 'get-connection'),
  route('PATCH', '/v1/discovery/connections/{connectionId}', 'update-connection'),
  route('DELETE', '/v1/discovery/connections/{connectionId}', 'delete-connection'),
  route('GET', '/v1/discovery/connections/{connectionId}/schema', 'get-connection-schema'),
  route('POST', '/v1/discovery/connections/{connectionId}/test', 'test-connection'),
  route('POST', '/v1/discovery/refresh', 'refresh-discovery'),
  route('GET', '/v1/discovery/status', 'discovery-status'),
];
