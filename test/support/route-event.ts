import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { ROUTES, type Route } from '../../functions/routes.ts';

export interface EventOptions {
  body?: string | object;
  headers?: Record<string, string>;
  token?: string;
  isBase64Encoded?: boolean;
  requestId?: string;
}

export interface RouteEventOptions extends EventOptions {
  /** Values of the route's `{name}` variables, as the handler receives them (decoded). */
  pathParameters?: Record<string, string>;
  /** Query parameters, as the handler receives them (decoded). */
  query?: Record<string, string>;
}

/** A route of functions/routes.ts by its function's name, or by its route key (`GET /v1/...`). */
export const routeNamed = (nameOrKey: string): Route => {
  const matches = ROUTES.filter((route) => route.name === nameOrKey || route.routeKey === nameOrKey);
  if (matches.length !== 1) {
    throw new Error(`${matches.length === 0 ? 'no' : 'more than one'} route for "${nameOrKey}" in functions/routes.ts`);
  }
  return matches[0]!;
};

// API Gateway's path templates: `{name}` is one segment, `{name+}` the rest of the path.
const rawPathOf = (route: Route, parameters: Record<string, string>) =>
  route.path.replace(/\{([A-Za-z0-9_]+)(\+?)\}/g, (_, name: string, greedy: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`${route.routeKey} needs the path parameter ${name}`);
    return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });

/**
 * The API Gateway HTTP API (payload 2.0) event a route's Lambda receives: method, rawPath with the path
 * parameters put in, routeKey, query string both raw and parsed. A body is sent as JSON unless a string.
 */
export const routeEvent = (
  route: Route,
  { pathParameters = {}, query, body, headers = {}, token, isBase64Encoded = false, requestId = randomUUID() }: RouteEventOptions = {},
): APIGatewayProxyEventV2 => {
  const rawPath = rawPathOf(route, pathParameters);
  const queryEntries = Object.entries(query ?? {});
  const rawQueryString = queryEntries.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  const templated = /\{[A-Za-z0-9_]+\+?\}/.test(route.path);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(queryEntries.length > 0 ? { queryStringParameters: Object.fromEntries(queryEntries) } : {}),
    ...(templated ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    isBase64Encoded,
  };
};

/** An event for POST /v1/discovery/connections, always with `content-type: application/json` unless overridden. */
export const createConnectionEvent = ({ headers = {}, ...options }: EventOptions = {}): APIGatewayProxyEventV2 =>
  routeEvent(routeNamed('create-connection'), { ...options, headers: { 'content-type': 'application/json', ...headers } });
