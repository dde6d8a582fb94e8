/**
 * `npm run bench:schema`: what a large schema costs the create. The real create handler, in process,
 * against DynamoDB Local and the Fetcher emulator, creates connections whose database has one table
 * or 2 000 (30 columns each), alternately; it prints p50/p95 of each, their ratio, and the DynamoDB
 * requests each create sent. Not a test: it asserts nothing. Bounded: fixed counts, then it stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Table } from '../doubles/fetcher-emulator.ts';
import { startFetcherEmulator } from '../doubles/fetcher-server.ts';
import { createConnectionEvent } from '../support/route-event.ts';
import { lambdaContext } from '../tools/lambda-context.ts';
import { startLocalDependencies } from '../tools/local-dependencies.ts';

const WARMUP = 4;
const ROUNDS = 20;
const SIZES = [1, 2_000];

const tablesOf = (count: number): Table[] =>
  Array.from({ length: count }, (_, t) => ({
    name: `ledger_partition_${String(t).padStart(4, '0')}`,
    fields: Array.from({ length: 30 }, (_, c) => `column_${String(c).padStart(2, '0')}`),
  }));
const schemas = new Map(SIZES.map((size) => [size, tablesOf(size)]));

const stateDir = await mkdtemp(join(tmpdir(), 'matcher-bench-'));
const fetcher = await startFetcherEmulator();
// The emulator is started here, not by the harness, so the bench can give each database its tables.
const fetcherEnv = { FETCHER_URL: fetcher.url, FETCHER_ALLOW_INSECURE_HTTP: 'true' };
const dependencies = await startLocalDependencies({ env: { ...process.env, LOCAL_STATE_DIR: stateDir, ...fetcherEnv }, persist: false });
Object.assign(process.env, dependencies.env, fetcherEnv, {
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
  SCHEMA_DISCOVERY_BUDGET_MS: '10000',
});
const { handler } = await import('../../functions/create-connection/handler.ts');
const { dynamodbClient } = await import('../../functions/composition/dynamodb.ts');
const { lambdaContainer } = await import('../../functions/composition/lambda-container.ts');
const token = await dependencies.signToken!();

// Every DynamoDB request the handler's client sends, counted per create.
let requests = 0;
(await dynamodbClient(lambdaContainer)).middlewareStack.add((next) => (args) => (requests++, next(args)), { step: 'initialize' });

let serial = 0;
const create = async (size: number) => {
  const configName = `bench-${process.pid}-${serial++}`;
  fetcher.setSchema(configName, schemas.get(size)!);
  const event = createConnectionEvent({
    token,
    body: {
      configName,
      databaseType: 'postgres',
      host: 'db.example.com',
      port: 5432,
      databaseName: 'ledger',
      userName: 'matcher_ro',
      password: 'bench-password',
    },
  });
  const before = requests;
  const started = performance.now();
  const result = await handler(event, lambdaContext());
  const elapsed = performance.now() - started;
  const body = JSON.parse(result.body ?? '{}') as { schemaDiscovered?: boolean };
  if (result.statusCode !== 201 || body.schemaDiscovered !== true) throw new Error(`expected a 201 with its schema: ${result.body}`);
  return { elapsed, requests: requests - before };
};

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

try {
  for (let i = 0; i < WARMUP; i++) for (const size of SIZES) await create(size);
  const samples = new Map(SIZES.map((size) => [size, [] as number[]]));
  const sent = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      const { elapsed, requests: count } = await create(size);
      samples.get(size)!.push(elapsed);
      sent.set(size, count);
    }
  }
  console.log(`node ${process.version}, in-process create handler, DynamoDB Local and the Fetcher emulator on loopback\n`);
  console.log(
    `${'tables'.padStart(8)}  ${'n'.padStart(4)}  ${'p50 ms'.padStart(8)}  ${'p95 ms'.padStart(8)}  DynamoDB requests per create`,
  );
  const p50 = new Map<number, number>();
  for (const size of SIZES) {
    const sorted = [...samples.get(size)!].sort((a, b) => a - b);
    p50.set(size, at(sorted, 0.5));
    console.log(
      `${String(size).padStart(8)}  ${String(sorted.length).padStart(4)}  ${at(sorted, 0.5).toFixed(1).padStart(8)}  ${at(sorted, 0.95).toFixed(1).padStart(8)}  ${sent.get(size)}`,
    );
  }
  console.log(`\ncreate p50, ${SIZES[1]} tables / ${SIZES[0]} table: ${(p50.get(SIZES[1]!)! / p50.get(SIZES[0]!)!).toFixed(2)}x`);
} finally {
  await dependencies.stop();
  await fetcher.stop();
  await rm(stateDir, { recursive: true, force: true });
}
