import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { createHostPolicy } from '../../../functions/discovery/host-policy.ts';
import { connectionRequestSchema } from '../../../functions/http/connection-request-schema.ts';
import { MAX_FIELD_ERRORS, validateRequest } from '../../../functions/http/validate-request.ts';
import { answerOf, middyRequest, rejection, run } from './middy-request.ts';

const body = connectionRequestSchema(createHostPolicy({ allowedCidrs: [] }));
const valid = { configName: 'ledger', databaseType: 'pg', host: 'db.example.com', port: 5432, databaseName: 'ledger', userName: 'ro' };
const bodyRequest = (json: unknown) => middyRequest({ context: { json } });

describe('validateRequest: the body', () => {
  it('puts the validated, normalised body in context.body', async () => {
    const request = bodyRequest({ ...valid, configName: ' ledger ' });
    await run(validateRequest('body', body), 'before', request);
    expect(request.context.body).toEqual({ ...valid, databaseType: 'POSTGRESQL' });
    expect(request.context.query).toBeUndefined();
  });

  it('answers every problem at once with 422 MTCH-0005, echoing body fields', async () => {
    const answer = answerOf(await rejection(validateRequest('body', body), 'before', bodyRequest({ ...valid, port: 0, extra: 1 })));
    expect(answer).toMatchObject({
      status: 422,
      code: 'MTCH-0005',
      detail: 'The request body failed validation.',
      errors: [
        { location: 'body.port', message: 'expected number >= 1', value: 0 },
        { location: 'body.extra', message: 'unexpected property' },
      ],
    });
    expect(answer.headers).toEqual({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' });
  });

  it('answers a refused host alone with 422 MTCH-0209', async () => {
    const answer = answerOf(await rejection(validateRequest('body', body), 'before', bodyRequest({ ...valid, host: '127.0.0.1' })));
    expect(answer).toMatchObject({
      status: 422,
      code: 'MTCH-0209',
      detail: 'The host is not allowed.',
      errors: [{ location: 'body.host', message: 'host not allowed: loopback address', value: '127.0.0.1' }],
    });
  });

  it('lists a refused host among other problems under MTCH-0005', async () => {
    const request = bodyRequest({ ...valid, host: '127.0.0.1', port: 'x' });
    expect(answerOf(await rejection(validateRequest('body', body), 'before', request))).toMatchObject({
      code: 'MTCH-0005',
      errors: [
        { location: 'body.host', message: 'host not allowed: loopback address' },
        { location: 'body.port', message: 'expected integer' },
      ],
    });
  });

  it('does not take another custom problem for a refused host', async () => {
    const refined = z.object({ name: z.string().refine(() => false) });
    expect(answerOf(await rejection(validateRequest('body', refined), 'before', bodyRequest({ name: 'x' })))).toMatchObject({
      code: 'MTCH-0005',
      errors: [{ location: 'body.name', message: 'invalid value' }],
    });
  });

  it(`lists at most ${MAX_FIELD_ERRORS} problems and says how many there were`, async () => {
    const keys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
    const atCap = answerOf(await rejection(validateRequest('body', z.strictObject({})), 'before', bodyRequest(keys(MAX_FIELD_ERRORS))));
    expect(atCap.detail).toBe('The request body failed validation.');
    expect(atCap.errors).toHaveLength(MAX_FIELD_ERRORS);
    const over = answerOf(await rejection(validateRequest('body', z.strictObject({})), 'before', bodyRequest(keys(MAX_FIELD_ERRORS + 5))));
    expect(over.detail).toBe(
      `The request body failed validation; the first ${MAX_FIELD_ERRORS} of ${MAX_FIELD_ERRORS + 5} problems are listed.`,
    );
    expect(over.errors).toEqual(
      Array.from({ length: MAX_FIELD_ERRORS }, (_, i) => ({ location: `body.k${i}`, message: 'unexpected property' })),
    );
  });
});

describe('validateRequest: the query and the path', () => {
  const query = z.strictObject({ limit: z.coerce.number().int().max(100).optional(), name: z.string().min(3).optional() });

  it('validates the query string into context.query', async () => {
    const request = middyRequest({ event: { queryStringParameters: { limit: '50' } } });
    await run(validateRequest('query', query), 'before', request);
    expect(request.context.query).toEqual({ limit: 50 });
  });

  it('reads a request with no query string as an empty one', async () => {
    const request = middyRequest();
    await run(validateRequest('query', query), 'before', request);
    expect(request.context.query).toEqual({});
  });

  it('locates query problems at query.<name> and echoes only the parameters it is told to', async () => {
    const request = middyRequest({ event: { queryStringParameters: { limit: '500', name: 'ab' } } });
    expect(answerOf(await rejection(validateRequest('query', query, new Set(['limit'])), 'before', request))).toMatchObject({
      status: 422,
      code: 'MTCH-0005',
      detail: 'The query string failed validation.',
      errors: [
        { location: 'query.limit', message: 'expected number <= 100', value: '500' },
        { location: 'query.name', message: 'expected length >= 3' },
      ],
    });
  });

  it('echoes no query parameter unless told to', async () => {
    const request = middyRequest({ event: { queryStringParameters: { limit: '500' } } });
    const answer = answerOf(await rejection(validateRequest('query', query), 'before', request));
    expect(answer.errors).toEqual([{ location: 'query.limit', message: 'expected number <= 100' }]);
  });

  it('validates path parameters into context.path, and locates their problems at path.<name>', async () => {
    const path = z.object({ id: z.uuid() });
    const ok = middyRequest({ event: { pathParameters: { id: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' } } });
    await run(validateRequest('path', path), 'before', ok);
    expect(ok.context.path).toEqual({ id: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' });

    const bad = middyRequest({ event: { pathParameters: { id: 'nope' } } });
    expect(answerOf(await rejection(validateRequest('path', path, new Set(['id'])), 'before', bad))).toMatchObject({
      code: 'MTCH-0005',
      detail: 'The path failed validation.',
      errors: [{ location: 'path.id', message: 'expected uuid', value: 'nope' }],
    });
    const none = middyRequest();
    expect(answerOf(await rejection(validateRequest('path', path), 'before', none)).errors).toEqual([
      { location: 'path.id', message: 'expected required property id to be present' },
    ]);
  });
});
