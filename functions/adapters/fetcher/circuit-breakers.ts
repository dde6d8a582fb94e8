import { createCircuitBreaker, type BreakerOptions, type CircuitBreaker } from './circuit-breaker.ts';

/** Whose failure it was: Fetcher as a whole (no answer at all), or one tenant's calls (answered, but failing). */
export type FailureScope = 'fetcher' | 'tenant';

/** The circuit one call goes through. */
export interface CallCircuit {
  admit(): void;
  succeeded(): void;
  failed(scope: FailureScope): void;
  released(): void;
}

/**
 * The circuit breakers of one container. Single-tenant: one breaker. Multi-tenant: one per tenant for
 * what Fetcher answers (a tenant's failing database or Fetcher tenant trips only that tenant), behind
 * one for Fetcher as a whole (refused connections, cut sockets), which still trips for everybody.
 */
export const createCircuitBreakers = (options: BreakerOptions, perTenant: boolean) => {
  const fetcherWide = createCircuitBreaker(options);
  if (!perTenant) {
    const only: CallCircuit = {
      admit: () => fetcherWide.admit(),
      succeeded: () => fetcherWide.succeeded(),
      failed: () => fetcherWide.failed(),
      released: () => fetcherWide.released(),
    };
    return (_tenantId: string) => only;
  }
  const tenants = new Map<string, CircuitBreaker>();
  return (tenantId: string): CallCircuit => {
    let tenant = tenants.get(tenantId);
    if (!tenant) tenants.set(tenantId, (tenant = createCircuitBreaker(options)));
    const own = tenant;
    return {
      admit() {
        fetcherWide.admit();
        try {
          own.admit();
        } catch (error) {
          fetcherWide.released();
          throw error;
        }
      },
      succeeded() {
        fetcherWide.succeeded();
        own.succeeded();
      },
      failed(scope) {
        if (scope === 'fetcher') {
          fetcherWide.failed();
          own.released();
        } else {
          fetcherWide.released();
          own.failed();
        }
      },
      released() {
        fetcherWide.released();
        own.released();
      },
    };
  };
};

export type CircuitBreakers = ReturnType<typeof createCircuitBreakers>;
