import { afterEach, describe, expect, it, vi } from 'vitest';
import { isJsonMediaType, readJsonBody } from '../../../functions/http/read-json-body.ts';
import { answerOf, middyRequest, rejection, run, type RouteRequest } from './middy-request.ts';

const MAX = 30; // divisible by 3: its base64 has no padding, so the size estimate is exact
const reader = readJsonBody({ maxBodyBytes: MAX });

const bodyRequest = (body: string | undefined, { contentType = 'application/json', base64 = false } = {}): RouteRequest =>
  middyRequest({ event: { headers: contentType === '' ? {} : { 'content-type': contentType }, body, isBase64Encoded: base64 } });

/** A JSON object of exactly `bytes` UTF-8 bytes. */
const jsonOfSize = (bytes: number) => `{"a":"${'x'.repeat(bytes - 8)}"}`;

const read = async (request: RouteRequest) => {
  await run(reader, 'before', request);
  return request.context.json;
};

const refusal = async (request: RouteRequest) => answerOf(await rejection(reader, 'before', request));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readJsonBody: media type', () => {
  it.each([
    'application/json',
    'APPLICATION/JSON',
    ' application/json ',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json ; Charset="utf-8"',
    'application/json; version=1',
    'application/json; version=1; charset=utf-8',
    'application/problem+json',
    'application/vnd.x+json; charset=utf-8',
    'application/a!#$&^_.-z+json',
  ])('accepts %j', async (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(true);
    expect(await read(bodyRequest('{"a":1}', { contentType }))).toEqual({ a: 1 });
  });

  it('reads an event that has no headers at all', async () => {
    const request = bodyRequest('{"a":1}');
    request.event.headers = undefined as never;
    expect(await read(request)).toEqual({ a: 1 });
  });

  it('accepts a body sent without a Content-Type', async () => {
    expect(await read(bodyRequest('[1,2]', { contentType: '' }))).toEqual([1, 2]);
  });

  it.each([
    'application/json; charset=latin1',
    'application/json; charset=utf-8x',
    'application/json; charset=xutf-8',
    'application/json; charset=x-charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'text/json',
    'application/xml',
    'application/jsonx',
    'xapplication/json',
    'application/+json',
    'application/vnd.x+jsonx',
    'xapplication/vnd.x+json',
    'application/vnd x+json',
    'application/vnd.x+xml',
    'multipart/form-data; boundary=x',
    '',
  ])('refuses %j with 415 MTCH-0006', async (contentType) => {
    expect(isJsonMediaType(contentType)).toBe(false);
    if (contentType === '') return; // an empty header is no header at the edge
    expect(await refusal(bodyRequest('{"a":1}', { contentType }))).toMatchObject({
      status: 415,
      code: 'MTCH-0006',
      detail: 'Content-Type must be application/json.',
    });
  });

  it('reads the first charset parameter only', () => {
    expect(isJsonMediaType('application/json; charset=utf-8; charset=latin1')).toBe(true);
    expect(isJsonMediaType('application/json; charset=latin1; charset=utf-8')).toBe(false);
  });
});

describe('readJsonBody: size', () => {
  it('accepts a body of exactly MAX_BODY_BYTES and refuses one byte more with 413 MTCH-0007', async () => {
    expect(Buffer.byteLength(jsonOfSize(MAX))).toBe(MAX);
    expect(await read(bodyRequest(jsonOfSize(MAX)))).toEqual({ a: 'x'.repeat(MAX - 8) });
    expect(await refusal(bodyRequest(jsonOfSize(MAX + 1)))).toEqual({
      status: 413,
      code: 'MTCH-0007',
      detail: `The request body is larger than ${MAX} bytes.`,
      errors: undefined,
      headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
    });
  });

  it('counts bytes, not characters', async () => {
    const multiByte = `{"a":"${'é'.repeat((MAX - 8) / 2)}"}`; // 2 bytes each
    expect(await read(bodyRequest(multiByte))).toEqual({ a: 'é'.repeat(11) });
    expect((await refusal(bodyRequest(`{"a":"${'é'.repeat(12)}"}`))).code).toBe('MTCH-0007');
  });

  it.each([MAX, MAX - 1, MAX - 2])('accepts a base64 body of %d decoded bytes (padded or not)', async (size) => {
    const base64 = Buffer.from(jsonOfSize(size)).toString('base64');
    expect(await read(bodyRequest(base64, { base64: true }))).toEqual({ a: 'x'.repeat(size - 8) });
  });

  it.each([MAX + 1, MAX + 2, MAX + 3])('refuses a base64 body of %d decoded bytes with 413 MTCH-0007', async (size) => {
    const base64 = Buffer.from(jsonOfSize(size)).toString('base64');
    expect(await refusal(bodyRequest(base64, { base64: true }))).toMatchObject({ status: 413, code: 'MTCH-0007' });
  });

  it.each([30, 31, 32])('accepts a base64 body of exactly the cap (%d bytes), whatever its padding', async (cap) => {
    const base64 = Buffer.from(jsonOfSize(cap)).toString('base64');
    const capped = readJsonBody({ maxBodyBytes: cap });
    const request = bodyRequest(base64, { base64: true });
    await run(capped, 'before', request);
    expect(request.context.json).toEqual({ a: 'x'.repeat(cap - 8) });
    const over = bodyRequest(Buffer.from(jsonOfSize(cap + 1)).toString('base64'), { base64: true });
    expect(answerOf(await rejection(capped, 'before', over)).code).toBe('MTCH-0007');
  });

  it('refuses a base64 body surely over the cap without decoding it', async () => {
    const from = vi.spyOn(Buffer, 'from');
    const base64 = Buffer.from('x'.repeat(MAX * 4)).toString('base64');
    from.mockClear();
    expect((await refusal(bodyRequest(base64, { base64: true }))).code).toBe('MTCH-0007');
    expect(from).not.toHaveBeenCalled();
  });
});

describe('readJsonBody: content', () => {
  it('puts the parsed value in context.json', async () => {
    expect(await read(bodyRequest('{"port":5432,"n":{"ok":true}}'))).toEqual({ port: 5432, n: { ok: true } });
  });

  it('drops a leading UTF-8 byte order mark', async () => {
    expect(await read(bodyRequest('\uFEFF{"a":1}'))).toEqual({ a: 1 });
  });

  it('refuses invalid UTF-8 inside a JSON string with 400 MTCH-0001', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(await refusal(bodyRequest(bytes.toString('base64'), { base64: true }))).toMatchObject({
      status: 400,
      code: 'MTCH-0001',
      detail: 'The request body is not valid UTF-8.',
    });
  });

  it.each([undefined, '', '  \n\t '])('refuses the empty body %j with 400 MTCH-0001', async (body) => {
    expect(await refusal(bodyRequest(body))).toMatchObject({ status: 400, code: 'MTCH-0001', detail: 'The request body is empty.' });
  });

  it('refuses malformed JSON with 400 MTCH-0001 and never echoes it', async () => {
    const answer = await refusal(bodyRequest('{"password":"hunter22",}'));
    expect(answer).toMatchObject({ status: 400, code: 'MTCH-0001', detail: 'The request body is not valid JSON.' });
    expect(JSON.stringify(answer)).not.toContain('hunter22');
  });

  it('decodes a base64 body before parsing it', async () => {
    const base64 = Buffer.from('{"host":"db.example.com"}').toString('base64');
    expect(await read(bodyRequest(base64, { base64: true }))).toEqual({ host: 'db.example.com' });
  });
});
