import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { LambdaFunction } from '../../functions/lambda-functions.ts';
import { bundleEntry, writeBundle, type BundlingVariant } from '../support/esbuild-bundle.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { quantile } from './stats.ts';

/** One bundle to import in fresh processes: a function, a baseline, or a variant of either (a lever). */
export interface ColdTarget {
  name: string;
  entry: string;
  /** The function whose environment the process gets; a baseline gets a table function's. */
  fn?: LambdaFunction;
  variant?: BundlingVariant;
  /** Variables over the Lambda-like environment (e.g. NODE_OPTIONS without --enable-source-maps). */
  env?: Record<string, string>;
  /** The target whose median this one is divided by. */
  baseline?: string;
  /** Also time a first invocation that fails inside the bundle and logs its stack (source maps at work). */
  errorStack?: boolean;
}

export interface ColdResult {
  name: string;
  rawBytes: number;
  gzipBytes: number;
  runs: number;
  importMedianMs: number;
  importP90Ms: number;
  /** CPU time (user + system, all threads) of the import: what a busy machine disturbs least. */
  cpuMedianMs: number;
  baseline?: string;
  ratio?: number;
  cpuRatio?: number;
  errorStackMedianMs?: number;
}

// Imports the bundle as the runtime does (a dynamic import of the handler module), with its top-level
// await (configuration, clients) included; then, when asked, a first invocation that fails and logs a stack.
const CHILD = `
const cpu = process.cpuUsage();
const started = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const importMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
if (typeof handler !== 'function') throw new Error('no handler');
let errorStackMs;
if (process.env.BENCH_ERROR_STACK) {
  // An event whose every read throws: the handler fails inside the bundle, answers 500 and logs the
  // error with its stack, which --enable-source-maps maps back through the bundle's map.
  const event = new Proxy({}, { get: (_, key) => { if (key === 'then') return undefined; throw new Error('bench: a failure inside the handler'); } });
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 20000 };
  const before = performance.now();
  await Promise.resolve().then(() => handler(event, context)).catch(() => undefined);
  errorStackMs = performance.now() - before;
}
process.stdout.write('BENCH ' + JSON.stringify({ importMs, cpuMs, errorStackMs }) + '\\n');
process.exit(0);
`;

const run = promisify(execFile);

const importOnce = async (file: string, env: Record<string, string>, errorStack: boolean) => {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(file).href, ...(errorStack ? { BENCH_ERROR_STACK: '1' } : {}) },
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('BENCH '));
  if (!line) throw new Error(`no measurement from ${file}: ${stdout.slice(0, 500)}`);
  return JSON.parse(line.slice('BENCH '.length)) as { importMs: number; cpuMs: number; errorStackMs?: number };
};

/**
 * Bundles every target with the stack's options (or its variant), writes it under `dir` (inside the
 * project, so a bundle that leaves the AWS SDK external finds it as the runtime would), and imports
 * each in `runs` fresh Node processes, the targets taking turns so a drift of the machine's speed
 * touches each alike. A ratio is of medians from the same rounds.
 */
export const measureColdImports = async (
  targets: readonly ColdTarget[],
  { runs, minRuns = Math.min(runs, 5), budgetMs = Infinity, dir }: { runs: number; minRuns?: number; budgetMs?: number; dir: string },
): Promise<ColdResult[]> => {
  const built = await Promise.all(
    targets.map(async (target, index) => {
      const bundle = await bundleEntry(target.entry, target.variant);
      const taskRoot = join(dir, `${index}-${target.name}`);
      const file = await writeBundle(bundle, taskRoot);
      return { target, bundle, file, env: { ...lambdaEnvironment(target.fn, taskRoot), ...target.env } };
    }),
  );
  const samples = built.map(() => ({ importMs: [] as number[], cpuMs: [] as number[], errorStackMs: [] as number[] }));
  const started = performance.now();
  let rounds = 0;
  // On a busy machine, fewer rounds than asked (never under minRuns) keep the whole run bounded; the results say how many.
  for (; rounds < runs && (rounds < minRuns || ((performance.now() - started) * (rounds + 1)) / rounds <= budgetMs); rounds++) {
    for (const [index, { target, file, env }] of built.entries()) {
      const measured = await importOnce(file, env, target.errorStack === true);
      samples[index]!.importMs.push(measured.importMs);
      samples[index]!.cpuMs.push(measured.cpuMs);
      if (measured.errorStackMs !== undefined) samples[index]!.errorStackMs.push(measured.errorStackMs);
    }
  }
  const results = built.map(({ target, bundle }, index): ColdResult => {
    const { importMs, cpuMs, errorStackMs } = samples[index]!;
    return {
      name: target.name,
      rawBytes: bundle.code.byteLength,
      gzipBytes: gzipSync(bundle.code).byteLength,
      runs: rounds,
      importMedianMs: quantile(importMs, 0.5),
      importP90Ms: quantile(importMs, 0.9),
      cpuMedianMs: quantile(cpuMs, 0.5),
      ...(errorStackMs.length ? { errorStackMedianMs: quantile(errorStackMs, 0.5) } : {}),
    };
  });
  for (const [index, result] of results.entries()) {
    const baseline = targets[index]!.baseline;
    const floor = results.find((candidate) => candidate.name === baseline);
    if (floor) {
      Object.assign(result, {
        baseline,
        ratio: result.importMedianMs / floor.importMedianMs,
        cpuRatio: result.cpuMedianMs / floor.cpuMedianMs,
      });
    }
  }
  return results;
};
