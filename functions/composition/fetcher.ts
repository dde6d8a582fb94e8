import { createFetcherClient } from '../adapters/fetcher/fetcher-client.ts';
import { meteredFetcher } from '../adapters/fetcher/metered-fetcher.ts';
import { fetcherSection } from '../config/fetcher-section.ts';
import type { FetcherPort } from '../discovery/ports.ts';
import { metrics } from '../observability/metrics.ts';
import { part, sectionPart } from './container.ts';

export const fetcherOptions = sectionPart(fetcherSection);

/** One Fetcher client per container: its keep-alive pool, token cache and circuit breaker are shared. */
export const fetcher = part<FetcherPort>(async (container) =>
  // The container's secret reader: per-tenant client credentials are read from Secrets Manager on first use.
  meteredFetcher(createFetcherClient(await fetcherOptions(container), { readSecret: container.readSecret }), metrics),
);
