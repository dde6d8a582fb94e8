import type { BreakerOptions } from './circuit-breaker.ts';
import type { FetcherAuthOptions } from './fetcher-auth.ts';

/** Where Fetcher is and how to talk to it (the FETCHER_* variables). */
export interface FetcherClientOptions {
  baseUrl: string;
  productName: string;
  auth: FetcherAuthOptions;
  timeoutMs: number;
  maxResponseBytes: number;
  breaker: Omit<BreakerOptions, 'now'>;
  /** Tenants are kept apart: the breaker trips per tenant for what Fetcher answers. */
  multiTenant: boolean;
}
