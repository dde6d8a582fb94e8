import { randomUUID } from 'node:crypto';
import { connectionId } from '../../functions/discovery/connection-id.ts';
import type { SeedConnection, StoredConnection } from '../doubles/fetcher-emulator.ts';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { ownCacheTable, type OwnTable } from './own-table.ts';
import { startService, validBody, type Answer, type CallOptions, type ServiceOptions, type TestService } from './service.ts';

const DAY_MS = 86_400_000;

export interface SyncService extends TestService {
  /** A tenant of its own (multi-tenant mode: a UUID), so the test's cache items are its alone. */
  tenant: string;
  /** Calls a route as the tenant, with a token that may read and write. */
  as(route: string, options?: CallOptions): Promise<Answer>;
  refresh(): Promise<Answer>;
  status(): Promise<Answer>;
  /** Creates a connection through the create route, as the tenant. */
  create(overrides?: Record<string, unknown>): Promise<Answer>;
  /** Puts connections straight into Fetcher, created `daysAgo` days ago each. */
  seedInFetcher(...daysAgo: number[]): StoredConnection[];
  /** Our id of a Fetcher connection, in the tenant. */
  idOf(connection: Pick<StoredConnection, 'id'>): string;
  /** The tenant's cache items, keyed by sort key. */
  items(): Promise<Map<string, Record<string, unknown>>>;
  /** Calls Fetcher's own API directly, as someone other than Matcher would (a rename, a delete). */
  inFetcher(method: string, path: string, body?: unknown): Promise<Response>;
}

let seeded = 0;

/**
 * The service in multi-tenant mode on a cache table of the test file's own, with a fresh tenant and a
 * fresh Fetcher emulator: everything a sync test reads or writes is its own.
 */
export const startSyncService = async (
  table: OwnTable,
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<SyncService> => {
  // The emulator keeps every tenant's connections in one store unless its token names a tenant: one identity on purpose.
  const service = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true', TABLE_NAME: table.name, ...env }, options);
  const tenant = randomUUID();
  const as = async (route: string, callOptions: CallOptions = {}) =>
    service.call(route, { token: await service.token({ tenantId: tenant }), ...callOptions });
  return Object.assign(service, {
    tenant,
    as,
    refresh: () => as('refresh-discovery'),
    status: () => as('discovery-status'),
    create: (overrides: Record<string, unknown> = {}) => as('create-connection', { body: validBody(overrides) }),
    seedInFetcher: (...daysAgo: number[]) =>
      service.fetcher.seed(
        daysAgo.map((days): SeedConnection => ({
          configName: `seeded-${++seeded}`,
          createdAt: new Date(Date.now() - days * DAY_MS).toISOString(),
        })),
      ),
    idOf: (connection: Pick<StoredConnection, 'id'>) => connectionId(tenant, connection.id),
    items: async () => new Map((await service.cacheItems(tenant)).map((item) => [String(item.sk), item])),
    inFetcher: (method: string, path: string, body?: unknown) =>
      fetch(`${service.fetcher.url}/v1/management/connections${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-Product-Name': 'someone-else' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  });
};

/**
 * A test file's sync services, all on one cache table of the file's own (made before its tests,
 * dropped after them), each stopped when the test that started it ends.
 */
export const syncServicesOnOwnTable = (label: string) => {
  let table: OwnTable;
  beforeAll(async () => {
    table = await ownCacheTable(label);
  });
  afterAll(() => table.drop());
  return {
    tableName: () => table.name,
    service: async (env: Record<string, string> = {}) => {
      const started = await startSyncService(table, env);
      onTestFinished(() => started.stop());
      return started;
    },
  };
};
