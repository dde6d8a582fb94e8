import { describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '../../../functions/routes.ts';
import { matchRoute } from '../../tools/route-match.ts';
import { createConnectionEvent, routeEvent, routeNamed } from '../../support/route-event.ts';

const files: Route = {
  routeKey: 'GET /files/{bucket}/{key+}',
  method: 'GET',
  path: '/files/{bucket}/{key+}',
  name: 'files',
  entry: 'x.ts',
};

describe('routeEvent', () => {
  it('builds the event of a templated route: path parameters put in the raw path, encoded, and passed decoded', () => {
    const event = routeEvent(routeNamed('get-connection'), { pathParameters: { connectionId: 'a b/c' }, query: { q: 'x y', n: '1' } });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/discovery/connections/{connectionId}',
      rawPath: '/v1/discovery/connections/a%20b%2Fc',
      rawQueryString: 'q=x%20y&n=1',
      queryStringParameters: { q: 'x y', n: '1' },
      pathParameters: { connectionId: 'a b/c' },
      requestContext: {
        http: { method: 'GET', path: '/v1/discovery/connections/a%20b%2Fc' },
        routeKey: 'GET /v1/discovery/connections/{connectionId}',
      },
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('body');
    expect(event.headers).toEqual({});
  });

  it('keeps the slashes of a greedy variable, and the local API routes the result back to the same route', () => {
    const event = routeEvent(files, { pathParameters: { bucket: 'b', key: 'a/b c.txt' } });
    expect(event.rawPath).toBe('/files/b/a/b%20c.txt');
    expect(matchRoute([files], 'GET', event.rawPath)?.pathParameters).toEqual({ bucket: 'b', key: 'a/b c.txt' });
    for (const route of ROUTES) {
      const built = routeEvent(route, { pathParameters: { connectionId: '0190f3c2-7b1a-7c3e-9d2f-3a4b5c6d7e8f' } });
      expect(matchRoute(ROUTES, built.requestContext.http.method, built.rawPath)?.route).toBe(route);
    }
  });

  it('refuses a missing path parameter and an unknown route name', () => {
    expect(() => routeEvent(routeNamed('get-connection'))).toThrow('needs the path parameter connectionId');
    expect(() => routeNamed('no-such-route')).toThrow('no route for "no-such-route"');
    expect(routeNamed('POST /v1/discovery/connections').name).toBe('create-connection');
  });

  it('sends a body as JSON with its content type and a token as a bearer header', () => {
    const event = routeEvent(routeNamed('create-connection'), { body: { a: 1 }, token: 't0k' });
    expect(event).toMatchObject({ body: '{"a":1}', headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' } });
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('gives the create event a JSON content type even without a body, unless a header overrides it', () => {
    expect(createConnectionEvent().headers).toEqual({ 'content-type': 'application/json' });
    expect(createConnectionEvent({ headers: { 'content-type': 'text/plain' }, body: 'x' }).headers['content-type']).toBe('text/plain');
  });
});
