import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../../functions/routes.ts';
import { startLocalApi, type LocalApi, type LambdaHandler } from '../../tools/local-api.ts';

const route = (method: Route['method'], path: string, name: string): Route => ({
  routeKey: `${method} ${path}`,
  method,
  path,
  name,
  entry: `${name}.ts`,
});

let seen: { event: APIGatewayProxyEventV2; context: Context; remainingMs: number } | undefined;
const echo: LambdaHandler = async (event, context) => {
  seen = { event, context, remainingMs: context.getRemainingTimeInMillis() };
  return {
    statusCode: 207,
    headers: { 'Content-Type': 'application/json' },
    cookies: ['session=1; HttpOnly', 'theme=dark'],
    body: JSON.stringify({ got: event.body }),
  };
};

let api: LocalApi;
const lines: string[] = [];
beforeAll(async () => {
  api = await startLocalApi({
    timeoutMs: 300,
    log: (line) => lines.push(line),
    routes: [
      { route: route('POST', '/echo/{id}', 'echo'), handler: echo },
      { route: route('GET', '/inferred', 'inferred'), handler: async () => ({ hello: 'world' }) },
      { route: route('GET', '/throws', 'throws'), handler: async () => Promise.reject(new Error('boom')) },
      {
        route: route('GET', '/slow', 'slow'),
        handler: () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 2_000)),
      },
      {
        route: route('POST', '/size', 'size'),
        handler: async (event) => ({
          statusCode: 200,
          body: String(Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').length),
        }),
      },
    ],
  });
});
afterAll(() => api.stop());

const gatewayMessage = async (response: Response) => ({
  status: response.status,
  type: response.headers.get('content-type'),
  body: await response.json(),
});

describe('startLocalApi', () => {
  it('listens on loopback only', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('hands the route a payload 2.0 event and a Lambda context, and sends its result back', async () => {
    const response = await fetch(`${api.url}/echo/a%2Fb?x=1&x=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: 'a=1; b=2', 'X-Trace': 'abc' },
      body: '{"k":"v"}',
    });
    expect(response.status).toBe(207);
    expect(response.headers.getSetCookie()).toEqual(['session=1; HttpOnly', 'theme=dark']);
    expect(response.headers.get('apigw-requestid')).toBe(seen!.event.requestContext.requestId);
    expect(await response.json()).toEqual({ got: '{"k":"v"}' });

    const { event, context, remainingMs } = seen!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{id}',
      rawPath: '/echo/a%2Fb',
      rawQueryString: 'x=1&x=2',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2' },
      pathParameters: { id: 'a/b' },
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      requestContext: {
        http: { method: 'POST', path: '/echo/a%2Fb', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        routeKey: 'POST /echo/{id}',
        stage: '$default',
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
    expect(context.functionName).toBe('echo');
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(300);
  });

  it('answers an inferred result with 200 and its JSON', async () => {
    const response = await fetch(`${api.url}/inferred`);
    expect(await gatewayMessage(response)).toEqual({ status: 200, type: 'application/json', body: { hello: 'world' } });
  });

  it("answers API Gateway's 404 for an unknown path or method", async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['GET', '/echo/1'],
      ['DELETE', '/inferred'],
    ] as const) {
      expect(await gatewayMessage(await fetch(`${api.url}${path}`, { method }))).toEqual({
        status: 404,
        type: 'application/json',
        body: { message: 'Not Found' },
      });
    }
  });

  it("answers API Gateway's 500 when the handler throws, and logs the error", async () => {
    expect(await gatewayMessage(await fetch(`${api.url}/throws`))).toEqual({
      status: 500,
      type: 'application/json',
      body: { message: 'Internal Server Error' },
    });
    expect(lines.join('\n')).toMatch(/throws: unhandled error: Error: boom/);
  });

  it('answers 500 when the handler outlives the Lambda timeout', async () => {
    const started = Date.now();
    expect(await gatewayMessage(await fetch(`${api.url}/slow`))).toEqual({
      status: 500,
      type: 'application/json',
      body: { message: 'Internal Server Error' },
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(lines.join('\n')).toMatch(/slow: Task timed out after 0.3 seconds/);
  });

  it("takes a body of exactly 10 MB and refuses one byte more with API Gateway's 413", async () => {
    const limit = 10 * 1024 * 1024;
    const ok = await fetch(`${api.url}/size`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(limit) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(String(limit));
    const tooBig = await fetch(`${api.url}/size`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x'.repeat(limit + 1),
    });
    expect(await gatewayMessage(tooBig)).toEqual({ status: 413, type: 'application/json', body: { message: 'Request Entity Too Large' } });
  });

  it('logs one line per request', () => {
    expect(lines.filter((line) => /^GET \/inferred 200 \d+ ms$/.test(line))).toHaveLength(1);
  });
});
