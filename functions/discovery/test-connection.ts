import type { ConnectionCache } from './cache-ports.ts';
import { notFound } from './connection-schema.ts';
import type { Call, FetcherPort } from './ports.ts';

/** The only error message a test ever answers: Fetcher's own text names hosts, users and drivers. */
export const TEST_FAILED = 'connection test failed';

/** Matcher's TestConnectionResponse. */
export interface ConnectionTestAnswer {
  connectionId: string;
  healthy: boolean;
  latencyMs: number;
  errorMessage?: typeof TEST_FAILED;
}

/** Test discovery connection: Fetcher dials the database; a failed dial is an answer (healthy false), not an error. */
export const testConnection =
  ({ cache, fetcher }: { cache: Pick<ConnectionCache, 'findConnection'>; fetcher: Pick<FetcherPort, 'testConnection'> }) =>
  async (id: string, call: Call): Promise<ConnectionTestAnswer> => {
    const connection = await cache.findConnection(id, call);
    if (!connection) throw notFound();
    const { healthy, latencyMs } = await fetcher.testConnection(connection.fetcherConnectionId, call);
    return { connectionId: id, healthy, latencyMs, ...(healthy ? {} : { errorMessage: TEST_FAILED }) };
  };
