import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../../functions/dynamodb-tables.ts';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from '../../doubles/dynamodb-local.ts';
import { startSyncService, type SyncService } from '../../support/sync-service.ts';

const CONNECTIONS = 10_000;
const SPREAD_MONTHS = 30;
const MONTH_MS = 30.44 * 86_400_000;
const TABLES = { cache: 'discovery-cache-scale', idempotency: 'discovery-idempotency-scale' };

// A DynamoDB Local of its own: tens of thousands of writes must not queue up behind (or in front of)
// the other test files' requests in the run's shared one.
let dynamodb: DynamoDbLocal;
let s: SyncService;
beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
  const client = localClient(dynamodb.endpoint);
  await ensureTable(client, TABLES.cache, CACHE_TABLE);
  await ensureTable(client, TABLES.idempotency, IDEMPOTENCY_TABLE);
  client.destroy();
  s = await startSyncService(
    { name: TABLES.cache, drop: async () => {} },
    {
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      IDEMPOTENCY_TABLE_NAME: TABLES.idempotency,
      SYNC_HISTORY_MONTHS: '36',
      SYNC_SCHEMA_CONCURRENCY: '8',
    },
  );
}, 90_000);
afterAll(async () => {
  await s?.stop();
  await dynamodb?.stop();
});

/** The distinct created-at windows the listing calls from `from` on asked for. */
const windowsListed = (from: number) =>
  new Set(
    s.fetcher.requests
      .slice(from)
      .filter((r) => r.route === 'list')
      .map((r) => {
        const query = new URL(r.path, 'http://fetcher.local').searchParams;
        return `${query.get('startDate')}..${query.get('endDate')}`;
      }),
  ).size;

const listCallsBound = (windows: number) => Math.ceil(CONNECTIONS / 100) + windows + 2;

describe('the sync at scale (bounded: the test reports its own figures)', () => {
  it(`finds ${CONNECTIONS} connections created over ${SPREAD_MONTHS} months, then re-syncs them unchanged for almost no writes`, async () => {
    const now = Date.now();
    // Straight into Fetcher's store: ten thousand HTTP creates would test the create, not the sync.
    s.fetcher.seed(
      Array.from({ length: CONNECTIONS }, (_, i) => ({
        configName: `scale-${i}`,
        createdAt: new Date(now - ((i + 0.5) / CONNECTIONS) * SPREAD_MONTHS * MONTH_MS).toISOString(),
      })),
    );

    let from = s.fetcher.requests.length;
    let started = performance.now();
    const first = await s.sync(s.tenant, { timeoutMs: 600_000 });
    const firstSync = { ms: Math.round(performance.now() - started), listCalls: s.fetcher.calls('list'), windows: windowsListed(from) };
    const firstWrites = s.dynamodb.writes();
    expect(first).toMatchObject({
      listed: CONNECTIONS,
      created: CONNECTIONS,
      schemasRefreshed: CONNECTIONS,
      listingComplete: true,
      complete: true,
    });
    expect(firstSync.listCalls).toBeLessThanOrEqual(listCallsBound(firstSync.windows));

    s.dynamodb.reset();
    from = s.fetcher.requests.length;
    started = performance.now();
    const second = await s.sync(s.tenant, { timeoutMs: 600_000 });
    const reSync = {
      ms: Math.round(performance.now() - started),
      listCalls: s.fetcher.calls('list') - firstSync.listCalls,
      windows: windowsListed(from),
      dynamodbWrites: s.dynamodb.writes(),
      dynamodbReads: s.dynamodb.reads(),
    };
    expect(second).toMatchObject({ listed: CONNECTIONS, unchanged: CONNECTIONS, created: 0, updated: 0, unreachable: 0, complete: true });
    expect(reSync.listCalls).toBeLessThanOrEqual(listCallsBound(reSync.windows));
    expect(reSync.dynamodbWrites).toBeLessThanOrEqual(25);
    expect((await s.status()).body).toMatchObject({
      connectionCount: CONNECTIONS,
      sync: { state: 'completed', connectionsSynced: CONNECTIONS },
    });

    console.log(`scale test: ${JSON.stringify({ firstSync: { ...firstSync, dynamodbWrites: firstWrites }, reSync })}`);
  }, 360_000);
});
