import { describe, expect, it } from 'vitest';
import type { CachedConnection, DiscoveredTable, FetcherConnection } from '../../../functions/discovery/connection.ts';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { MatcherError } from '../../../functions/discovery/errors.ts';
import { Deadline } from '../../../functions/discovery/deadline.ts';
import { createHostPolicy } from '../../../functions/discovery/host-policy.ts';
import type { ConnectionCache, SaveOutcome, SchemaSnapshots } from '../../../functions/discovery/cache-ports.ts';
import type { Call, CreateInFetcher, FetcherPort } from '../../../functions/discovery/ports.ts';
import { provisionConnection, type ProvisionDependencies } from '../../../functions/discovery/provision-connection.ts';
import { partialFetcher } from '../../support/partial-ports.ts';
import { inMemoryCache } from './in-memory-cache.ts';

const FETCHER_ID = '0190f3c2-7b1a-7c3e-9d2f-1a2b3c4d5e6f';
const NOW = new Date('2026-11-28T10:00:00.123Z');

const request = {
  configName: 'ledger',
  databaseType: 'POSTGRESQL' as const,
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'ro',
  password: 'pw',
};

/** In-memory ports: the same interfaces the adapters implement. */
const inMemory = (
  overrides: {
    fetcher?: Partial<FetcherPort>;
    cache?: Partial<ConnectionCache>;
    snapshots?: Partial<SchemaSnapshots>;
    resolveHost?: ProvisionDependencies['resolveHost'];
  } = {},
) => {
  const memory = inMemoryCache(() => NOW.getTime());
  const created: CreateInFetcher[] = [];
  const saved: CachedConnection[] = [];
  const schemas: DiscoveredTable[][] = [];
  const events: string[] = [];
  const fetcher: FetcherPort = partialFetcher({
    async createConnection(input) {
      created.push(input);
      const { password: _, matcherRequestId: __, ...rest } = input;
      return { ...rest, fetcherConnectionId: FETCHER_ID, productName: 'matcher' } satisfies FetcherConnection;
    },
    async getSchema() {
      return [{ name: 'accounts', columns: [{ name: 'id' }] }];
    },
    ...overrides.fetcher,
  });
  const cache: ConnectionCache = {
    ...memory.cache,
    async saveConnection(connection, observedAt, call): Promise<SaveOutcome> {
      saved.push(structuredClone(connection));
      return memory.cache.saveConnection(connection, observedAt, call);
    },
    ...overrides.cache,
  };
  const snapshots: SchemaSnapshots = {
    ...memory.snapshots,
    async saveSnapshot(connection, snapshot, call) {
      schemas.push(snapshot.tables);
      return memory.snapshots.saveSnapshot(connection, snapshot, call);
    },
    ...overrides.snapshots,
  };
  const deps: ProvisionDependencies = {
    fetcher,
    cache,
    snapshots,
    summaries: memory.summaries,
    registry: memory.registry,
    hostPolicy: createHostPolicy({ allowedCidrs: [] }),
    ...(overrides.resolveHost ? { resolveHost: overrides.resolveHost } : {}),
    observer: {
      connectionCreated: () => events.push('created'),
      cacheWriteFailed: (step) => events.push(`cache-failed:${step}`),
      schemaDiscoverySkipped: () => events.push('schema-skipped'),
    },
    schemaDiscoveryBudgetMs: 3000,
    now: () => NOW,
    newRequestId: () => 'matcher-request-1',
  };
  return { provision: provisionConnection(deps), created, saved, schemas, events, memory };
};

const clock = () => NOW.getTime();
const endingIn = (ms: number) => Deadline.at(NOW.getTime() + ms, clock);
const call: Call = { tenantId: 't', requestId: 'req', deadline: endingIn(10_000) };

describe('provisionConnection', () => {
  it('creates in Fetcher, caches without the password, discovers the schema and answers the view', async () => {
    const world = inMemory();
    const view = await world.provision(request, { ...call, tenantId: 'default' });

    expect(world.created).toEqual([{ ...request, matcherRequestId: 'matcher-request-1' }]);
    expect(view).toEqual({
      id: connectionId('default', FETCHER_ID),
      configName: 'ledger',
      databaseType: 'POSTGRESQL',
      status: 'AVAILABLE',
      schemaDiscovered: true,
      lastSeenAt: '2026-11-28T10:00:00.123Z',
    });
    expect(world.saved).toHaveLength(1);
    expect(world.saved[0]).toMatchObject({ tenantId: 'default', fetcherConnectionId: FETCHER_ID, schemaDiscovered: false });
    expect(JSON.stringify(world.saved)).not.toContain('"password"');
    expect(world.schemas).toEqual([[{ name: 'accounts', columns: [{ name: 'id' }] }]]);
    // The tenant joins the scheduled sync's registry, and its count follows the new connection.
    expect([...world.memory.registered]).toEqual(['default']);
    expect((await world.memory.summaries.read({ ...call, tenantId: 'default' })).connectionCount).toBe(1);
    expect(world.events).toEqual(['created']);
  });

  it('gives the schema call the smaller of the budget and the request deadline', async () => {
    const deadlines: number[] = [];
    const world = inMemory({ fetcher: { getSchema: async (_id, budget) => (deadlines.push(budget.deadline.at), []) } });
    await world.provision(request, call);
    await world.provision(request, { ...call, deadline: endingIn(1000) });
    expect(deadlines).toEqual([NOW.getTime() + 3000, NOW.getTime() + 1000]);
  });

  it('skips the schema when too little time is left to store what it would find', async () => {
    let schemaCalls = 0;
    const world = inMemory({ fetcher: { getSchema: async () => (schemaCalls++, []) } });
    const view = await world.provision(request, { ...call, deadline: endingIn(300) });
    expect(view.schemaDiscovered).toBe(false);
    expect(schemaCalls).toBe(0);
    expect(world.saved).toHaveLength(1);
  });

  it('answers schemaDiscovered false when the schema fails, and reports it', async () => {
    const world = inMemory({ fetcher: { getSchema: async () => Promise.reject(new MatcherError('MTCH-0208', 'slow')) } });
    const view = await world.provision(request, call);
    expect(view.schemaDiscovered).toBe(false);
    expect(world.events).toEqual(['created', 'schema-skipped']);
  });

  it('still answers from Fetcher when the cache write fails, and skips the schema', async () => {
    let schemaCalls = 0;
    const world = inMemory({
      cache: { saveConnection: async () => Promise.reject(new Error('throttled')) },
      fetcher: { getSchema: async () => (schemaCalls++, []) },
    });
    const view = await world.provision(request, call);
    expect(view).toMatchObject({ id: connectionId('t', FETCHER_ID), schemaDiscovered: false });
    expect(world.events).toEqual(['created', 'cache-failed:connection']);
    expect(schemaCalls).toBe(0);
  });

  it('answers schemaDiscovered false when storing the tables fails', async () => {
    const world = inMemory({ snapshots: { saveSnapshot: async () => Promise.reject(new Error('too big')) } });
    expect((await world.provision(request, call)).schemaDiscovered).toBe(false);
    expect(world.events).toEqual(['created', 'cache-failed:schema']);
  });

  it('lets Fetcher errors through untouched and caches nothing', async () => {
    const conflict = new MatcherError('MTCH-0206', 'exists');
    const world = inMemory({ fetcher: { createConnection: async () => Promise.reject(conflict) } });
    await expect(world.provision(request, call)).rejects.toBe(conflict);
    expect(world.saved).toEqual([]);
  });

  describe('with the DNS check', () => {
    it('refuses a name that resolves inward, before Fetcher is called', async () => {
      const world = inMemory({ resolveHost: async () => ['93.184.216.34', '10.0.0.5'] });
      const error = await world.provision(request, call).catch((e: MatcherError) => e);
      expect(error).toMatchObject({ code: 'MTCH-0209', errors: [{ location: 'body.host', value: 'db.example.com' }] });
      expect(world.created).toEqual([]);
    });

    it('fails closed when the lookup fails: 503 with Retry-After, and Fetcher is not called', async () => {
      const world = inMemory({ resolveHost: async () => Promise.reject(new Error('SERVFAIL')) });
      await expect(world.provision(request, call)).rejects.toMatchObject({ code: 'MTCH-0203', retryAfterSeconds: 5 });
      expect(world.created).toEqual([]);
    });

    it('refuses a name that does not resolve', async () => {
      const world = inMemory({ resolveHost: async () => [] });
      await expect(world.provision(request, call)).rejects.toMatchObject({
        code: 'MTCH-0209',
        errors: [{ location: 'body.host', message: 'host does not resolve' }],
      });
    });
  });
});
