import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRequests } from '../../../functions/http/log-requests.ts';
import type { HttpEvent } from '../../../functions/http/request-state.ts';
import { middyRequest, run, type RouteRequest } from './middy-request.ts';

const TENANT = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const setup = () => {
  const logger = new Logger({ serviceName: 'log-requests-test' });
  const lines: unknown[][] = [];
  const levels = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => void lines.push([level, ...args])),
  );
  return { middleware: logRequests(logger), lines, levels };
};

const request = (overrides: { response?: { statusCode: number }; tenant?: string; event?: Partial<HttpEvent> } = {}): RouteRequest =>
  middyRequest({
    event: {
      routeKey: 'POST /v1/discovery/connections',
      headers: { authorization: 'Bearer secret-token' },
      body: '{"password":"hunter2"}',
      ...overrides.event,
    },
    context: overrides.tenant ? { principal: { subject: 's', tenantId: overrides.tenant, scopes: new Set() } } : {},
    response: overrides.response,
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('logRequests', () => {
  it('writes one info line per request with route, status, duration and tenant, and nothing of the event', async () => {
    const { middleware, lines } = setup();
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const req = request({ tenant: TENANT });
    await run(middleware, 'before', req);
    expect(lines).toEqual([]);
    vi.setSystemTime(1_000_042);
    req.response = { statusCode: 201 };
    await run(middleware, 'after', req);
    expect(lines).toEqual([
      [
        'info',
        'request completed',
        { requestId: 'req-1', route: 'POST /v1/discovery/connections', status: 201, durationMs: 42, tenantId: TENANT },
      ],
    ]);
  });

  it('logs the status of the problem the error became', async () => {
    const { middleware, lines } = setup();
    const req = request({ response: { statusCode: 422 } });
    await run(middleware, 'before', req);
    await run(middleware, 'onError', req);
    expect(lines).toEqual([['info', 'request completed', expect.objectContaining({ status: 422 })]]);
  });

  it('logs 500 when the request ended with no response, and no tenant before authentication', async () => {
    const { middleware, lines } = setup();
    const req = request();
    await run(middleware, 'before', req);
    await run(middleware, 'onError', req);
    expect(lines).toHaveLength(1);
    expect(lines[0]![2]).toEqual({
      requestId: 'req-1',
      route: 'POST /v1/discovery/connections',
      status: 500,
      durationMs: expect.any(Number),
    });
  });

  it('times each request from its own start', async () => {
    const { middleware, lines } = setup();
    vi.useFakeTimers({ toFake: ['Date'], now: 5_000 });
    const slow = request({ response: { statusCode: 201 } });
    await run(middleware, 'before', slow);
    vi.setSystemTime(5_100);
    const fast = request({ response: { statusCode: 200 } });
    await run(middleware, 'before', fast);
    vi.setSystemTime(5_107);
    await run(middleware, 'after', fast);
    await run(middleware, 'after', slow);
    expect(lines.map((line) => (line[2] as { durationMs: number }).durationMs)).toEqual([7, 107]);
  });

  it('logs a duration of 0 for a request whose start it never saw', async () => {
    const { middleware, lines } = setup();
    vi.useFakeTimers({ toFake: ['Date'], now: 9_000 });
    await run(middleware, 'after', request({ response: { statusCode: 200 } }));
    expect(lines[0]![2]).toMatchObject({ durationMs: 0 });
  });

  it('names an event without a request id "unknown"', async () => {
    const { middleware, lines } = setup();
    const req = request({ response: { statusCode: 200 } });
    (req.event as { requestContext?: unknown }).requestContext = undefined;
    await run(middleware, 'before', req);
    await run(middleware, 'after', req);
    expect(lines[0]![2]).toMatchObject({ requestId: 'unknown' });
  });
});
