/**
 * Every HTTP route and the handler that serves it. The CDK stack and the local harness both read this
 * table, so a route cannot exist in one and not the other.
 */
export interface Route {
  /** API Gateway's route key. */
  routeKey: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Function name stem, also the folder under functions/. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
}

export const ROUTES: readonly Route[] = [
  {
    routeKey: 'POST /v1/discovery/connections',
    method: 'POST',
    path: '/v1/discovery/connections',
    name: 'create-connection',
    entry: 'functions/create-connection/handler.ts',
  },
];
