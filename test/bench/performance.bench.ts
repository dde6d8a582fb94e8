/**
 * `npm run bench`: the performance budget, measured side by side in one run, as one table, also
 * written to bench/results.json. Every bundle is built with the stack's options (infra BUNDLING):
 * - cold: each function and its baseline imported in fresh Node processes with a Lambda-like environment;
 * - levers: variants of the create bundle and of the baseline, so each lever's figure comes from the same run;
 * - warm: the HTTP pipeline in process with in-memory ports (warm.ts, in its own process);
 * - end to end: a create through the local API against the fake Fetcher and DynamoDB Local, beside the
 *   same requests made directly, then with 10 000 connections cached against none.
 * Not a test: it asserts nothing. Bounded: fixed counts, and the cold rounds stop early on a busy machine.
 * BENCH_RUNS (default 15) sets the cold rounds; BENCH_BUDGET_S (default 100) bounds the cold section.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAMBDA_FUNCTIONS, lambdaFunction } from '../../functions/lambda-functions.ts';
import { PROJECT_ROOT } from '../../infra/discovery-function.ts';
import { measureColdImports, type ColdTarget } from './cold-import.ts';
import type { EndToEndResult } from './end-to-end.ts';
import { GOALS, renderTable } from './report.ts';
import type { WarmResult } from './warm.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 100) * 1000;
const LEVER_RUNS = Math.max(5, Math.round(RUNS / 2));
const started = performance.now();

const entry = (name: string) => `test/bench/entries/${name}.ts`;
const create = lambdaFunction('create-connection');

const COLD: ColdTarget[] = [
  { name: 'baseline: DynamoDB document client', entry: entry('dynamodb-client') },
  { name: 'baseline: empty handler + jose', entry: entry('jose-handler') },
  { name: 'baseline: SQS client', entry: entry('sqs-client') },
  // Every function has a table: each is held to the DynamoDB client alone.
  ...LAMBDA_FUNCTIONS.map((fn) => ({ name: fn.name, entry: fn.entry, fn, baseline: 'baseline: DynamoDB document client' })),
];

const SHIPPED = 'create-connection as shipped';
const FLOOR = 'DynamoDB client as shipped';
const LEVERS: ColdTarget[] = (
  [
    { name: SHIPPED, entry: create.entry, fn: create, errorStack: true },
    { name: FLOOR, entry: entry('dynamodb-client') },
    // The AWS SDK bundled (the stack's choice) against left to the runtime, for the function and its floor.
    { name: 'create-connection, SDK from the runtime', entry: create.entry, fn: create, variant: { externalModules: ['@aws-sdk/*'] } },
    { name: 'DynamoDB client, SDK from the runtime', entry: entry('dynamodb-client'), variant: { externalModules: ['@aws-sdk/*'] } },
    // Source maps: the map loaded by --enable-source-maps at import and on an error's stack, against none.
    { name: 'create-connection, no --enable-source-maps', entry: create.entry, fn: create, env: { NODE_OPTIONS: '' }, errorStack: true },
    // The tracer is imported only when tracing is on (the stack's default): the `tracing: false` deployment.
    { name: 'create-connection, tracing off', entry: create.entry, fn: create, env: { POWERTOOLS_TRACE_ENABLED: 'false' } },
    // esbuild's mainFields: the ESM builds (module first, the stack's choice) against the CommonJS ones.
    { name: 'create-connection, mainFields main,module', entry: create.entry, fn: create, variant: { mainFields: ['main', 'module'] } },
    // What each package adds to the DynamoDB client alone.
    ...['tracer', 'zod', 'zod-mini', 'secrets-manager', 'powertools', 'idempotency', 'tldts'].map((name) => ({
      name: `DynamoDB client + ${name}`,
      entry: entry(`dynamodb-${name}`),
      baseline: FLOOR,
    })),
  ] as ColdTarget[]
).map((target) => ({ baseline: target.name.startsWith('create') ? SHIPPED : FLOOR, ...target }));

const dir = await mkdtemp(join(PROJECT_ROOT, 'cdk.out.bench-'));
try {
  const cold = await measureColdImports(COLD, { runs: RUNS, budgetMs: BUDGET_MS, dir: join(dir, 'cold') });
  const levers = await measureColdImports(LEVERS, { runs: LEVER_RUNS, minRuns: 3, budgetMs: BUDGET_MS / 3, dir: join(dir, 'levers') });
  const warm = await isolated<WarmResult[]>('warm.ts');
  const endToEnd = await isolated<EndToEndResult>('end-to-end.ts');
  const results = {
    node: process.version,
    date: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 1000),
    goals: GOALS,
    cold,
    levers: levers.map(({ name, rawBytes, gzipBytes, runs, importMedianMs, cpuMedianMs, ratio, cpuRatio, errorStackMedianMs }) => ({
      name,
      rawBytes,
      gzipBytes,
      runs,
      importMedianMs,
      cpuMedianMs,
      ratio,
      cpuRatio,
      errorStackMedianMs,
    })),
    warm,
    endToEnd,
  };
  console.log(renderTable(results));
  await mkdir(join(PROJECT_ROOT, 'bench'), { recursive: true });
  await writeFile(join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, roundNumbers, 2)}\n`);
  console.log(`\nwritten to bench/results.json in ${results.seconds} s`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** A part of the benchmark in its own process, its log lines (at the stack's level, INFO) thrown away. */
async function isolated<T>(script: string): Promise<T> {
  const out = join(dir, `${script}.json`);
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'test/bench', script), out], {
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery' },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(await readFile(out, 'utf8')) as T;
}

function roundNumbers(_key: string, value: unknown) {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}
