import type { FetcherPort } from '../../discovery/ports.ts';
import type { SecretReader } from '../secrets-manager.ts';
import { createCircuitBreakers, type CircuitBreakers } from './circuit-breakers.ts';
import { createFetcherAuth, type FetcherAuth } from './fetcher-auth.ts';
import { fetcherChanges } from './fetcher-changes.ts';
import { fetcherCreate } from './fetcher-create.ts';
import type { FetcherClientOptions } from './fetcher-options.ts';
import { fetcherReads } from './fetcher-reads.ts';
import { createFetcherTransport } from './fetcher-transport.ts';

export interface FetcherClientParts {
  auth?: FetcherAuth;
  breakers?: CircuitBreakers;
  /** Reads each tenant's credentials, with per-tenant client credentials. */
  readSecret?: SecretReader;
}

/** The FetcherPort over Fetcher's Manager API, with X-Product-Name on every call. */
export const createFetcherClient = (config: FetcherClientOptions, parts: FetcherClientParts = {}): FetcherPort => {
  const auth = parts.auth ?? createFetcherAuth(config.auth, parts.readSecret);
  const breakers = parts.breakers ?? createCircuitBreakers(config.breaker, config.multiTenant);
  const send = createFetcherTransport(config, auth, breakers);
  return { createConnection: fetcherCreate(send), ...fetcherReads(send), ...fetcherChanges(send) };
};
