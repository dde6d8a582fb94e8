import { describe, expect, it } from 'vitest';
import { apiGatewayTime, isTextMediaType, toHttpApiEvent, type IncomingRequest } from '../../tools/api-gateway-event.ts';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  method: 'POST',
  target: '/v1/discovery/connections',
  rawHeaders: ['Host', '127.0.0.1:3000', 'User-Agent', 'curl/8.5.0', 'Content-Type', 'application/json'],
  body: Buffer.from('{"a":1}'),
  sourceIp: '127.0.0.1',
  localPort: 3000,
  httpVersion: '1.1',
  ...overrides,
});

const context = {
  routeKey: 'POST /v1/discovery/connections',
  pathParameters: undefined,
  requestId: 'req-1',
  now: new Date('2020-03-12T19:03:58.390Z'),
};

describe('toHttpApiEvent', () => {
  it('builds the payload 2.0 event API Gateway sends for a JSON POST', () => {
    expect(toHttpApiEvent(request(), context)).toEqual({
      version: '2.0',
      routeKey: 'POST /v1/discovery/connections',
      rawPath: '/v1/discovery/connections',
      rawQueryString: '',
      headers: {
        host: '127.0.0.1:3000',
        'user-agent': 'curl/8.5.0',
        'content-type': 'application/json',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-port': '3000',
        'x-forwarded-proto': 'http',
      },
      requestContext: {
        accountId: '123456789012',
        apiId: 'local',
        domainName: '127.0.0.1',
        domainPrefix: '127',
        http: { method: 'POST', path: '/v1/discovery/connections', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
        requestId: 'req-1',
        routeKey: 'POST /v1/discovery/connections',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838390,
      },
      body: '{"a":1}',
      isBase64Encoded: false,
    });
  });

  it('lower-cases header names and joins repeated headers with commas', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['X-Trace', 'a', 'x-trace', 'b', 'ACCEPT', '*/*'] }), context);
    expect(event.headers['x-trace']).toBe('a,b');
    expect(event.headers.accept).toBe('*/*');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('moves cookies from the cookie headers to the cookies array', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['Cookie', 'a=1; b=2', 'Cookie', 'c=3'] }), context);
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('keeps the raw query string and decodes parameters, joining repeats with commas', () => {
    const event = toHttpApiEvent(request({ target: '/v1/discovery/connections?type=pg&type=my%20sql&q=a+b&flag' }), context);
    expect(event.rawPath).toBe('/v1/discovery/connections');
    expect(event.rawQueryString).toBe('type=pg&type=my%20sql&q=a+b&flag');
    expect(event.queryStringParameters).toEqual({ type: 'pg,my sql', q: 'a b', flag: '' });
  });

  it('omits queryStringParameters, pathParameters, cookies and body when there are none', () => {
    const event = toHttpApiEvent(request({ body: Buffer.alloc(0), rawHeaders: [] }), context);
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('body');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes the path parameters of a templated route', () => {
    const event = toHttpApiEvent(request({ target: '/v1/discovery/connections/abc' }), { ...context, pathParameters: { id: 'abc' } });
    expect(event.pathParameters).toEqual({ id: 'abc' });
  });

  it('base64-encodes a body that is not text, and sends text as it came', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);
    const binary = toHttpApiEvent(request({ rawHeaders: ['Content-Type', 'application/octet-stream'], body: bytes }), context);
    expect(binary).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
    const untyped = toHttpApiEvent(request({ rawHeaders: [], body: Buffer.from('{}') }), context);
    expect(untyped).toMatchObject({ body: 'e30=', isBase64Encoded: true });
    const problem = toHttpApiEvent(
      request({ rawHeaders: ['Content-Type', 'application/problem+json; charset=utf-8'], body: Buffer.from('{}') }),
      context,
    );
    expect(problem).toMatchObject({ body: '{}', isBase64Encoded: false });
  });

  it('appends the client to an x-forwarded-for the request already had', () => {
    const event = toHttpApiEvent(request({ rawHeaders: ['X-Forwarded-For', '203.0.113.7'] }), context);
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
  });
});

describe('isTextMediaType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/vnd.api+json', true],
    ['application/xml', true],
    ['text/plain', true],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['image/png', false],
    [undefined, false],
  ])('%s is text: %s', (contentType, text) => {
    expect(isTextMediaType(contentType)).toBe(text);
  });
});

describe('apiGatewayTime', () => {
  it('pads day and time fields and always says +0000', () => {
    expect(apiGatewayTime(new Date('2026-01-05T03:04:05Z'))).toBe('05/Jan/2026:03:04:05 +0000');
  });
});
