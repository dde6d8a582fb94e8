import { describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '../../../functions/routes.ts';
import { matchRoute } from '../../tools/route-match.ts';

const route = (method: Route['method'], path: string): Route => ({
  routeKey: `${method} ${path}`,
  method,
  path,
  name: path,
  entry: 'x.ts',
});
const routes = [
  route('GET', '/v1/things/{id}'),
  route('GET', '/v1/things/special'),
  route('GET', '/files/{key+}'),
  route('POST', '/v1/things'),
];

describe('matchRoute', () => {
  it('finds every route of the shared route table by its method and path', () => {
    for (const entry of ROUTES) expect(matchRoute(ROUTES, entry.method, entry.path)).toEqual({ route: entry, pathParameters: undefined });
  });

  it('prefers an exact path over a template', () => {
    expect(matchRoute(routes, 'GET', '/v1/things/special')?.route.path).toBe('/v1/things/special');
  });

  it('fills one-segment and greedy variables, decoded', () => {
    expect(matchRoute(routes, 'GET', '/v1/things/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(matchRoute(routes, 'GET', '/files/a/b/c.txt')?.pathParameters).toEqual({ key: 'a/b/c.txt' });
  });

  it('matches the method case-insensitively but nothing else loosely', () => {
    expect(matchRoute(routes, 'post', '/v1/things')?.route.method).toBe('POST');
    expect(matchRoute(routes, 'GET', '/v1/things')).toBeUndefined();
    expect(matchRoute(routes, 'POST', '/v1/things/')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/things/a/b')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/thingsx')).toBeUndefined();
  });
});
