import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ MAX_BODY_BYTES: '2048' });
});
afterAll(() => service.stop());

const createsSoFar = () => service.fetcher.requests.filter((r) => r.route === 'create').length;

describe('POST /v1/discovery/connections: request body', () => {
  it.each([
    ['an empty body', '', 'The request body is empty.'],
    ['a blank body', '  \n ', 'The request body is empty.'],
    ['malformed JSON', '{"configName": "abc",', 'The request body is not valid JSON.'],
    ['a trailing comma', '{"configName": "abc",}', 'The request body is not valid JSON.'],
  ])('answers 400 MTCH-0001 for %s without echoing it', async (_, body, detail) => {
    const before = createsSoFar();
    const answer = await service.invoke({ body, requestId: 'req-400' });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail,
      instance: 'urn:request:req-400',
      code: 'MTCH-0001',
    });
    expect(answer.raw).not.toContain('configName');
    expect(createsSoFar()).toBe(before);
  });

  it('answers 400 for a body that is not UTF-8', async () => {
    const answer = await service.invoke({ body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), isBase64Encoded: true });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('MTCH-0001');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json; charset=utf-16',
    'json',
  ])('answers 415 MTCH-0006 for Content-Type %j', async (contentType) => {
    const answer = await service.invoke({ body: validBody(), headers: { 'content-type': contentType } });
    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ status: 415, code: 'MTCH-0006', title: 'Unsupported Media Type' });
  });

  it.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=UTF-8',
    'application/merge-patch+json',
    'application/vnd.matcher.v1+json',
  ])('accepts Content-Type %j', async (contentType) => {
    expect((await service.invoke({ body: validBody(), headers: { 'content-type': contentType } })).status).toBe(201);
  });

  it('treats a missing Content-Type as JSON', async () => {
    const answer = await service.invoke({ body: validBody(), headers: { 'content-type': undefined as unknown as string } });
    expect(answer.status).toBe(201);
  });

  it('answers 413 MTCH-0007 for a body over MAX_BODY_BYTES, before parsing it', async () => {
    const before = createsSoFar();
    const oversized = `{"configName": "${'x'.repeat(3000)}"`; // not even valid JSON: size is checked first
    const answer = await service.invoke({ body: oversized });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ status: 413, code: 'MTCH-0007', title: 'Content Too Large' });
    expect(createsSoFar()).toBe(before);
  });

  it('counts bytes, not characters, against the cap', async () => {
    const body = JSON.stringify(validBody({ schema: 'é'.repeat(200) })); // 200 characters, 400 bytes: fine
    expect(Buffer.byteLength(body)).toBeLessThan(2048);
    expect((await service.invoke({ body })).status).toBe(201);
    const padded = JSON.stringify({ ...validBody(), schema: '€'.repeat(700) }); // ~2100 bytes, 700 characters
    expect(padded.length).toBeLessThan(2048);
    expect((await service.invoke({ body: padded })).status).toBe(413);
  });

  it('decodes base64 bodies and applies the cap to the decoded size', async () => {
    const body = validBody();
    const answer = await service.invoke({ body: Buffer.from(JSON.stringify(body)).toString('base64'), isBase64Encoded: true });
    expect(answer.status).toBe(201);
    expect(answer.body.configName).toBe(body.configName);
    const big = Buffer.from(`{"x":"${'y'.repeat(3000)}"}`).toString('base64');
    expect((await service.invoke({ body: big, isBase64Encoded: true })).status).toBe(413);
  });

  it('reads duplicate keys as the last one wins', async () => {
    const body = validBody();
    const raw = JSON.stringify(body).replace('{', '{"port": "not-a-number", ');
    const answer = await service.invoke({ body: raw });
    expect(answer.status).toBe(201);
  });
});
