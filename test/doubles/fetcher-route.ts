import type { IncomingHttpHeaders } from 'node:http';

export type FetcherRoute = 'health' | 'create' | 'list' | 'get' | 'schema' | 'test' | 'update' | 'delete';

/** One request to the Manager API, as read off the wire. */
export interface FetcherRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Path and query string as sent. */
  target: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer: a JSON body, a string sent as it is (with its own Content-Type), or none. */
export interface FetcherAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The route a method and path reach, with the `:id` segment (decoded, not yet checked). */
export const fetcherRouteOf = (method: string, path: string): { route: FetcherRoute | 'unknown'; id?: string } => {
  if (method === 'GET' && path === '/health') return { route: 'health' };
  if (path === '/v1/management/connections') return { route: method === 'POST' ? 'create' : method === 'GET' ? 'list' : 'unknown' };
  const match = /^\/v1\/management\/connections\/([^/]+)(\/schema|\/test)?$/.exec(path);
  if (!match) return { route: 'unknown' };
  const id = decodeURIComponent(match[1]!);
  if (match[2] === '/schema' && method === 'GET') return { route: 'schema', id };
  if (match[2] === '/test' && method === 'POST') return { route: 'test', id };
  if (match[2]) return { route: 'unknown' };
  const byMethod: Record<string, FetcherRoute> = { GET: 'get', PATCH: 'update', DELETE: 'delete' };
  return byMethod[method] ? { route: byMethod[method], id } : { route: 'unknown' };
};
