import type { FetcherPort } from '../../discovery/ports.ts';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.ts';
import { createFetcherAuth, type FetcherAuth } from './fetcher-auth.ts';
import { fetcherChanges } from './fetcher-changes.ts';
import { fetcherCreate } from './fetcher-create.ts';
import type { FetcherClientOptions } from './fetcher-options.ts';
import { fetcherReads } from './fetcher-reads.ts';
import { createFetcherTransport } from './fetcher-transport.ts';

export interface FetcherClientParts {
  auth?: FetcherAuth;
  breaker?: CircuitBreaker;
}

/** The FetcherPort over Fetcher's Manager API, with X-Product-Name on every call. */
export const createFetcherClient = (config: FetcherClientOptions, parts: FetcherClientParts = {}): FetcherPort => {
  const auth = parts.auth ?? createFetcherAuth(config.auth);
  const breaker = parts.breaker ?? createCircuitBreaker(config.breaker);
  const send = createFetcherTransport(config, auth, breaker);
  return { createConnection: fetcherCreate(send), ...fetcherReads(send), ...fetcherChanges(send) };
};
