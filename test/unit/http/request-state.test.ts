import { afterEach, describe, expect, it, vi } from 'vitest';
import { callOf, requestIdOf } from '../../../functions/http/request-state.ts';
import { httpEvent, routeContext } from './middy-request.ts';

const principal = { subject: 'user-1', tenantId: 'tenant-a', scopes: new Set<string>() };

afterEach(() => {
  vi.useRealTimers();
});

describe('requestIdOf', () => {
  it("is API Gateway's request id, or 'unknown' without a request context", () => {
    expect(requestIdOf(httpEvent())).toBe('req-1');
    expect(requestIdOf({ ...httpEvent(), requestContext: undefined } as never)).toBe('unknown');
  });
});

describe('callOf', () => {
  it("acts for the caller's tenant and request, ending one second before the Lambda does", () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 50_000 });
    const call = callOf(httpEvent(), routeContext({ principal }, 8_000));
    expect(call).toMatchObject({ tenantId: 'tenant-a', requestId: 'req-1' });
    expect(call.deadline.at).toBe(57_000);
    expect(call.deadline.remainingMs()).toBe(7_000);
  });

  it('has no deadline outside Lambda, where the context cannot say the time left', () => {
    const context = { ...routeContext({ principal }), getRemainingTimeInMillis: undefined } as never;
    expect(callOf(httpEvent(), context).deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });
});
