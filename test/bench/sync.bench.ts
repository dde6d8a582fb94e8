/**
 * `npm run bench:sync`: what one tenant's sync costs, for 1 000 and 10 000 connections in the Fetcher
 * emulator (spread over 30 months): its first sync and a re-sync with nothing changed, against a
 * naive sync that lists the same way and then writes every connection on every run. Wall time,
 * Fetcher calls by route, DynamoDB read and write requests, in one process, on the embedded DynamoDB
 * Local. Not a test: it asserts nothing and prints a table. `-- --sizes 1000` runs fewer sizes.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createContainer } from '../../functions/composition/container.ts';
import { connectionCache, dynamodbClient } from '../../functions/composition/dynamodb.ts';
import { fetcher as fetcherPart, fetcherOptions } from '../../functions/composition/fetcher.ts';
import { syncOptions, tenantSync } from '../../functions/composition/sync.ts';
import { connectionId } from '../../functions/discovery/connection-id.ts';
import { Deadline } from '../../functions/discovery/deadline.ts';
import { listFetcherConnections } from '../../functions/discovery/fetcher-listing.ts';
import { inParallel } from '../../functions/discovery/in-parallel.ts';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../doubles/dynamodb-local.ts';
import { startFakeFetcher, type FakeFetcher } from '../doubles/fake-fetcher.ts';
import { startFakeSqs } from '../doubles/fake-sqs.ts';
import { countDynamoDBRequests } from '../support/dynamodb-requests.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' } } });
const SIZES = values.sizes.split(',').map(Number);
const SPREAD_MONTHS = 30;
const MONTH_MS = 30.44 * 86_400_000;
// The naive sync writes as many connections at once as ours writes one by one.
const NAIVE_CONCURRENCY = 8;

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const dynamodb = await startDynamoDbLocal();
const queue = await startFakeSqs();

interface Figures {
  ms: number;
  calls: Record<string, number>;
  reads: number;
  writes: number;
}

/** A tenant's worth of Fetcher, cache table and container, and the two ways to sync it. */
const setUp = async (size: number) => {
  const fetcher: FakeFetcher = await startFakeFetcher();
  const now = Date.now();
  fetcher.seed(
    Array.from({ length: size }, (_, i) => ({
      configName: `bench-${i}`,
      createdAt: new Date(now - ((i + 0.5) / size) * SPREAD_MONTHS * MONTH_MS).toISOString(),
    })),
  );
  const table = `discovery-cache-bench-${size}`;
  const client = localClient(dynamodb.endpoint);
  await ensureTable(client, table, CACHE_TABLE);
  await ensureTable(client, 'discovery-idempotency-bench', IDEMPOTENCY_TABLE);
  client.destroy();
  const container = createContainer(
    {
      FETCHER_URL: fetcher.url,
      FETCHER_ALLOW_INSECURE_HTTP: 'true',
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      TABLE_NAME: table,
      IDEMPOTENCY_TABLE_NAME: 'discovery-idempotency-bench',
      SYNC_QUEUE_URL: queue.queueUrl,
      SYNC_HISTORY_MONTHS: '36',
      SYNC_SCHEMA_CONCURRENCY: '8',
    },
    async () => Promise.reject(new Error('no secrets in the bench')),
  );
  const requests = countDynamoDBRequests(await dynamodbClient(container));
  const deadline = () => Deadline.in(30 * 60_000);

  const measure = async (run: () => Promise<unknown>): Promise<Figures> => {
    const before = new Map(['list', 'schema'].map((route) => [route, fetcher.calls(route as 'list')]));
    requests.reset();
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const calls = Object.fromEntries([...before].map(([route, count]) => [route, fetcher.calls(route as 'list') - count]));
    return { ms, calls, reads: requests.reads(), writes: requests.writes() };
  };

  const ours = async (tenantId: string) => {
    const result = await (await tenantSync(container))({ tenantId, requestId: randomUUID(), deadline: deadline() });
    if (!result.complete || result.listed !== size) throw new Error(`the sync did not finish: ${JSON.stringify(result)}`);
  };

  // Lists exactly as ours does, then writes every listed connection, changed or not.
  const naive = async (tenantId: string) => {
    const call = { tenantId, requestId: randomUUID(), deadline: deadline() };
    const [port, cache, { sync }, { productName }] = await Promise.all([
      fetcherPart(container),
      connectionCache(container),
      syncOptions(container),
      fetcherOptions(container),
    ]);
    const startedAt = new Date();
    const since = new Date(startedAt.getTime() - sync.historyMonths * MONTH_MS);
    const listing = await listFetcherConnections(port, { productName, since, now: startedAt, windowDays: sync.windowDays }, call);
    await inParallel([...listing.connections.values()], NAIVE_CONCURRENCY, async (connection) => {
      const id = connectionId(tenantId, connection.fetcherConnectionId);
      await cache.saveConnection(
        { ...connection, tenantId, id, status: 'AVAILABLE', schemaDiscovered: false, lastSeenAt: startedAt },
        startedAt,
        call,
      );
    });
  };

  return { measure, ours, naive, stop: () => fetcher.stop() };
};

const rows: { size: number; variant: string; run: string; figures: Figures }[] = [];
try {
  for (const size of SIZES) {
    const bench = await setUp(size);
    const [oursTenant, naiveTenant] = [randomUUID(), randomUUID()];
    rows.push({ size, variant: 'ours', run: 'first sync', figures: await bench.measure(() => bench.ours(oursTenant)) });
    rows.push({ size, variant: 'ours', run: 'no-change re-sync', figures: await bench.measure(() => bench.ours(oursTenant)) });
    rows.push({ size, variant: 'naive', run: 'first sync', figures: await bench.measure(() => bench.naive(naiveTenant)) });
    rows.push({ size, variant: 'naive', run: 'no-change re-sync', figures: await bench.measure(() => bench.naive(naiveTenant)) });
    await bench.stop();
  }
} finally {
  await queue.stop();
  await dynamodb.stop();
}

const ratio = (naive: number, ours: number) => (ours === 0 ? '-' : `${(naive / ours).toFixed(1)}x`);
console.log(
  `node ${process.version}; DynamoDB Local and the Fetcher emulator on loopback; connections created over ${SPREAD_MONTHS} months, SYNC_HISTORY_MONTHS=36\n`,
);
console.log(
  '| connections | sync | run | wall s | Fetcher list | Fetcher schema | DynamoDB reads | DynamoDB writes | naive / ours: wall, writes |',
);
console.log('|---:|---|---|---:|---:|---:|---:|---:|---|');
for (const row of rows) {
  const mine = rows.find((r) => r.size === row.size && r.run === row.run && r.variant === 'ours')!.figures;
  const { ms, calls, reads, writes } = row.figures;
  const versus = row.variant === 'naive' ? `${ratio(ms, mine.ms)}, ${ratio(writes, mine.writes)}` : '';
  console.log(
    `| ${row.size} | ${row.variant} | ${row.run} | ${(ms / 1000).toFixed(1)} | ${calls.list} | ${calls.schema} | ${reads} | ${writes} | ${versus} |`,
  );
}
console.log(
  '\nThe naive sync writes every connection on every run and fetches no schema; ours includes schema discovery on its first sync.',
);
