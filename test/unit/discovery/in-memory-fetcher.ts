import type { FetcherConnection } from '../../../functions/discovery/connection.ts';
import { MatcherError } from '../../../functions/discovery/errors.ts';
import type { FetcherListQuery, FetcherPort } from '../../../functions/discovery/ports.ts';

export interface InMemoryFetcher extends FetcherPort {
  held: FetcherConnection[];
  listCalls: FetcherListQuery[];
  /** Fail the listing from the nth call on (1-based). */
  failListingFrom?: number;
  /** Tables per Fetcher id; an Error makes the schema call fail. */
  schemas: Map<string, { name: string; columns: { name: string }[] }[] | Error>;
  schemaCalls: string[];
}

/**
 * Fetcher's listing as it behaves: created-at windows whose endDate is midnight, pages of `limit`
 * sorted by creation, and other products' connections in the same tenant (the sync must drop them).
 */
export const inMemoryFetcher = (held: FetcherConnection[] = []): InMemoryFetcher => {
  const fetcher: InMemoryFetcher = {
    held,
    listCalls: [],
    schemas: new Map(),
    schemaCalls: [],
    createConnection: async () => Promise.reject(new Error('not used')),
    async getSchema(id) {
      fetcher.schemaCalls.push(id);
      const programme = fetcher.schemas.get(id) ?? [{ name: 'accounts', columns: [{ name: 'id' }] }];
      if (programme instanceof Error) throw programme;
      return structuredClone(programme);
    },
    async listConnections(query) {
      fetcher.listCalls.push(query);
      if (fetcher.failListingFrom !== undefined && fetcher.listCalls.length >= fetcher.failListingFrom) {
        throw new MatcherError('MTCH-0203', 'Fetcher is unreachable; try again shortly.', { retryAfterSeconds: 5 });
      }
      const start = Date.parse(`${query.startDate}T00:00:00Z`);
      const end = Date.parse(`${query.endDate}T00:00:00Z`);
      const inWindow = fetcher.held
        .filter((c) => c.createdAt!.getTime() >= start && c.createdAt!.getTime() <= end)
        .sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
      const items = inWindow.slice((query.page - 1) * query.limit, query.page * query.limit);
      return { connections: structuredClone(items), itemCount: items.length };
    },
    isHealthy: async () => true,
    testConnection: async () => ({ healthy: true, latencyMs: 1 }),
    getConnection: async (id) => fetcher.held.find((c) => c.fetcherConnectionId === id),
    updateConnection: async () => Promise.reject(new Error('not used')),
    deleteConnection: async () => Promise.reject(new Error('not used')),
  };
  return fetcher;
};

let sequence = 0;

/** A Fetcher connection created `daysAgo` days before `now`. */
export const fetcherConnection = (now: Date, daysAgo: number, overrides: Partial<FetcherConnection> = {}): FetcherConnection => {
  sequence++;
  return {
    fetcherConnectionId: `0190f3c2-7b1a-7c3e-9d2f-${String(sequence).padStart(12, '0')}`,
    configName: `db-${sequence}`,
    databaseType: 'POSTGRESQL',
    host: 'db.example.com',
    port: 5432,
    databaseName: 'ledger',
    userName: 'ro',
    productName: 'matcher',
    createdAt: new Date(now.getTime() - daysAgo * 86_400_000),
    ...overrides,
  };
};
