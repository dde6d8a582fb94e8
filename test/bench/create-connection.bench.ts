/**
 * `npm run bench`: in-process latency of the real create handler against the embedded parts
 * (DynamoDB Local, the fake Fetcher, the dev issuer), so a change's cost shows as numbers and ratios.
 * Not a test: it asserts nothing and prints a table. Bounded: fixed request counts, then it stops.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalDependencies } from '../tools/local-dependencies.ts';
import { createConnectionEvent } from '../support/route-event.ts';
import { lambdaContext } from '../tools/lambda-context.ts';

const WARMUP = 30;
const SEQUENTIAL = 300;
const FAST_PATH = 2_000;
const CONCURRENCY = 20;
const BATCHES = 10;

const stateDir = await mkdtemp(join(tmpdir(), 'matcher-bench-'));
const dependencies = await startLocalDependencies({ env: { ...process.env, LOCAL_STATE_DIR: stateDir }, persist: false });
// Logs cost what they cost in Lambda too, but printing thousands of lines would drown the table.
Object.assign(process.env, dependencies.env, { POWERTOOLS_LOG_LEVEL: 'ERROR' });
const { handler } = await import('../../functions/create-connection/handler.ts');
const token = await dependencies.signToken!();

let serial = 0;
const body = () => ({
  configName: `bench-${process.pid}-${serial++}`,
  databaseType: 'postgres',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'matcher_ro',
  password: 'bench-password',
});

const invoke = async (event: ReturnType<typeof createConnectionEvent>, expected: number) => {
  const started = performance.now();
  const result = await handler(event, lambdaContext());
  const elapsed = performance.now() - started;
  if (result.statusCode !== expected) throw new Error(`expected ${expected}, got ${result.statusCode}: ${result.body}`);
  return elapsed;
};

const summary = (name: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { name, n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
};

const measure = async (count: number, make: () => Promise<number>) => {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await make());
  return samples;
};

try {
  await measure(WARMUP, () => invoke(createConnectionEvent({ body: body(), token }), 201));

  const rows = [
    summary(
      '201 create (Fetcher POST, cache write, schema read + write)',
      await measure(SEQUENTIAL, () => invoke(createConnectionEvent({ body: body(), token }), 201)),
    ),
    summary(
      '422 validation failure (no Fetcher, no DynamoDB)',
      await measure(FAST_PATH, () => invoke(createConnectionEvent({ body: { ...body(), port: 0 }, token }), 422)),
    ),
    summary('401 no token', await measure(FAST_PATH, () => invoke(createConnectionEvent({ body: body() }), 401))),
  ];

  const started = performance.now();
  for (let batch = 0; batch < BATCHES; batch++) {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => invoke(createConnectionEvent({ body: body(), token }), 201)));
  }
  const throughput = (CONCURRENCY * BATCHES) / ((performance.now() - started) / 1000);

  const ms = (value: number) => value.toFixed(2).padStart(8);
  console.log(`node ${process.version}, in-process handler, embedded DynamoDB Local and fake Fetcher on loopback\n`);
  console.log(`${'scenario'.padEnd(62)}       n   p50 ms   p95 ms   p99 ms  mean ms`);
  for (const row of rows)
    console.log(`${row.name.padEnd(62)}${String(row.n).padStart(8)} ${ms(row.p50)} ${ms(row.p95)} ${ms(row.p99)} ${ms(row.mean)}`);
  console.log(`\ncreate p50 / 422 p50: ${(rows[0]!.p50 / rows[1]!.p50).toFixed(1)}x (the I/O's share of a create)`);
  console.log(`${CONCURRENCY} concurrent creates x ${BATCHES} batches: ${throughput.toFixed(0)} creates/s in one process`);
} finally {
  await dependencies.stop();
  await rm(stateDir, { recursive: true, force: true });
}
