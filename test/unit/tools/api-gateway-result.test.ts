import { describe, expect, it } from 'vitest';
import { toHttpResponse } from '../../tools/api-gateway-result.ts';

const text = (body: Buffer) => body.toString('utf8');

describe('toHttpResponse', () => {
  it('sends a structured result as given, header names lower-cased', () => {
    const response = toHttpResponse({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Count': 2, 'X-Flag': true },
      body: '{"id":"a"}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'x-count': '2', 'x-flag': 'true' });
    expect(text(response.body)).toBe('{"id":"a"}');
  });

  it('turns cookies into Set-Cookie headers, beside one set in headers', () => {
    const response = toHttpResponse({ statusCode: 200, headers: { 'Set-Cookie': 'a=1' }, cookies: ['b=2; HttpOnly', 'c=3'] });
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2; HttpOnly', 'c=3']);
  });

  it('sends multiValueHeaders as repeated headers', () => {
    const response = toHttpResponse({
      statusCode: 200,
      headers: { Vary: 'Origin' },
      multiValueHeaders: { vary: ['Accept'], 'x-many': ['1', '2'] },
    });
    expect(response.headers).toMatchObject({ vary: ['Origin', 'Accept'], 'x-many': ['1', '2'] });
  });

  it('decodes a base64 body', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const response = toHttpResponse({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.body.equals(bytes)).toBe(true);
  });

  it('sends an empty body when the result has none', () => {
    const response = toHttpResponse({ statusCode: 204 });
    expect(response).toEqual({ statusCode: 204, headers: {}, body: Buffer.alloc(0) });
  });

  it('infers 200 and a JSON body when the result has no statusCode', () => {
    const object = toHttpResponse({ body: 'not a proxy result', ok: true });
    expect(object.statusCode).toBe(200);
    expect(object.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(text(object.body))).toEqual({ body: 'not a proxy result', ok: true });
    expect(text(toHttpResponse('hello').body)).toBe('"hello"');
    expect(text(toHttpResponse(undefined).body)).toBe('null');
  });

  it.each([
    ['a statusCode that is not an integer', { statusCode: '201' }],
    ['a statusCode out of range', { statusCode: 99 }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['a header value that is an object', { statusCode: 200, headers: { a: {} } }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])("answers API Gateway's 500 for %s", (_, result) => {
    const response = toHttpResponse(result);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(text(response.body))).toEqual({ message: 'Internal Server Error' });
  });
});
