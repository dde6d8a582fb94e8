import { describe, expect, it } from 'vitest';
import type { Claim, IdempotencyScope } from '../../../functions/discovery/idempotency-scope.ts';
import { idempotency, type IdempotencyRecords } from '../../../functions/http/idempotency.ts';
import type { HttpResult, RouteContext } from '../../../functions/http/request-state.ts';
import { answerOf, middyRequest, rejection, run } from './middy-request.ts';

const ROUTE = 'POST /v1/discovery/connections';
const principal = { subject: 'user-1', tenantId: 'tenant-a', scopes: new Set<string>() };
const body = { configName: 'ledger', port: 5432 };

/** Records that answer each claim with `claim`, and remember what they were asked. */
const fakeRecords = (claim: Claim, { failWith }: { failWith?: Error } = {}) => {
  const calls: { method: string; scope: IdempotencyScope; payload: Record<string, unknown>; extra?: unknown }[] = [];
  const records: IdempotencyRecords = {
    claim: async (scope, payload, remainingMs) => {
      calls.push({ method: 'claim', scope, payload, extra: remainingMs });
      return claim;
    },
    complete: async (scope, payload, response) => {
      calls.push({ method: 'complete', scope, payload, extra: response });
      if (failWith) throw failWith;
    },
    release: async (scope, payload) => {
      calls.push({ method: 'release', scope, payload });
      if (failWith) throw failWith;
    },
  };
  return { records, calls };
};

const setup = (claim: Claim, options: { failWith?: Error } = {}) => {
  const { records, calls } = fakeRecords(claim, options);
  const failures: unknown[] = [];
  const middleware = idempotency({ route: ROUTE, records, observer: { recordFailed: (error) => failures.push(error) } });
  return { middleware, calls, failures };
};

const keyed = (state: Partial<RouteContext> = {}) => middyRequest({ context: { idempotencyKey: 'key-1', principal, body, ...state } });
const created: HttpResult = { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: '{"id":"c-1"}' };
const scope = { route: ROUTE, tenantId: 'tenant-a', subject: 'user-1', key: 'key-1' };

describe('idempotency', () => {
  it('does nothing for a request without Idempotency-Key', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const request = middyRequest({ context: { principal, body } });
    await run(middleware, 'before', request);
    request.response = created;
    await run(middleware, 'after', request);
    await run(middleware, 'onError', request);
    expect(calls).toEqual([]);
    expect(request.context.replay).toBeUndefined();
  });

  it('claims the key for this route and caller, with a copy of the validated body and the time left', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const request = keyed();
    await run(middleware, 'before', request);
    expect(calls).toEqual([{ method: 'claim', scope, payload: body, extra: 10_000 }]);
    expect(calls[0]!.payload).not.toBe(body);
    expect(request.context.replay).toBeUndefined();
  });

  it('stores the answer of a claimed request', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const request = keyed();
    await run(middleware, 'before', request);
    request.response = created;
    await run(middleware, 'after', request);
    expect(calls.slice(1)).toEqual([{ method: 'complete', scope, payload: body, extra: created }]);
  });

  it('stores nothing when a claimed request ends without a response', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const request = keyed();
    await run(middleware, 'before', request);
    await run(middleware, 'after', request);
    expect(calls.map(({ method }) => method)).toEqual(['claim']);
  });

  it('releases the key of a claimed request that failed, so it can be retried', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const request = keyed();
    await run(middleware, 'before', request);
    await run(middleware, 'onError', request);
    expect(calls.slice(1)).toEqual([{ method: 'release', scope, payload: body }]);
  });

  it.each(['after', 'onError'] as const)('reports a record that cannot be updated (%s) instead of failing the request', async (phase) => {
    const broken = new Error('DynamoDB is down');
    const { middleware, failures } = setup({ outcome: 'claimed' }, { failWith: broken });
    const request = keyed();
    await run(middleware, 'before', request);
    request.response = created;
    await expect(run(middleware, phase, request)).resolves.toBeUndefined();
    expect(failures).toEqual([broken]);
  });

  it('replays a completed answer byte for byte, marked Idempotent-Replayed, and stores nothing again', async () => {
    const { middleware, calls } = setup({ outcome: 'completed', response: created });
    const request = keyed();
    await run(middleware, 'before', request);
    expect(request.context.replay).toEqual({ ...created, headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' } });
    expect(created.headers).toEqual({ 'Content-Type': 'application/json' });
    request.response = request.context.replay;
    await run(middleware, 'after', request);
    await run(middleware, 'onError', request);
    expect(calls.map(({ method }) => method)).toEqual(['claim']);
  });

  it('replays a stored answer that had no headers', async () => {
    const { middleware } = setup({ outcome: 'completed', response: { statusCode: 204 } });
    const request = keyed();
    await run(middleware, 'before', request);
    expect(request.context.replay).toEqual({ statusCode: 204, headers: { 'Idempotent-Replayed': 'true' } });
  });

  it('answers a key still in progress with 409 MTCH-0018 and Retry-After', async () => {
    const { middleware } = setup({ outcome: 'in-progress' });
    expect(answerOf(await rejection(middleware, 'before', keyed()))).toEqual({
      status: 409,
      code: 'MTCH-0018',
      detail: 'A request with this Idempotency-Key is still in progress.',
      errors: undefined,
      headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', 'Retry-After': '2' },
    });
  });

  it('answers a key reused with another body with 422 MTCH-0019 and no Retry-After', async () => {
    const { middleware } = setup({ outcome: 'different-request' });
    expect(answerOf(await rejection(middleware, 'before', keyed()))).toEqual({
      status: 422,
      code: 'MTCH-0019',
      detail: 'This Idempotency-Key was used with a different request body.',
      errors: undefined,
      headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
    });
  });

  it('keeps each request its own claim', async () => {
    const { middleware, calls } = setup({ outcome: 'claimed' });
    const mine = keyed();
    const other = keyed({ idempotencyKey: undefined });
    await run(middleware, 'before', mine);
    await run(middleware, 'before', other);
    other.response = created;
    await run(middleware, 'after', other);
    await run(middleware, 'onError', other);
    expect(calls.map(({ method }) => method)).toEqual(['claim']);
  });
});
