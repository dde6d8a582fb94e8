/**
 * `npm run sync -- --tenant <id>`: one sync of one tenant, now, with the same parts as `npm start`
 * (embedded, or the real ones the environment names), printed as one JSON line: the sync's result,
 * or the problem that stopped it. Exits 0 when the sync ran, 1 when it could not.
 */
import { randomUUID } from 'node:crypto';
import { commandLine, fail, runToEnd } from './command-line.ts';
import { MatcherError } from '../../functions/discovery/errors.ts';
import { Deadline } from '../../functions/discovery/deadline.ts';
import { startLocalDependencies, type LocalDependencies } from './local-dependencies.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const USAGE = `usage: npm run sync -- --tenant <id> [--timeout <seconds>] [--persist]

  --tenant <id>        the tenant to sync: "default" in single-tenant mode, the tenant's UUID with MULTI_TENANT=true
  --timeout <seconds>  how long the sync may run (default 120, the stack's sync.timeoutSeconds)
  --persist            keep DynamoDB Local's data in .local/dynamodb (default: in memory)

FETCHER_URL, DYNAMODB_ENDPOINT (with TABLE_NAME) and SYNC_QUEUE_URL name real parts instead of the embedded ones.`;

const { values: options } = commandLine(USAGE, {
  options: {
    tenant: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    persist: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const tenantId = options.tenant?.trim() || fail(`--tenant is required\n\n${USAGE}`);
const timeoutS = /^\d{1,5}$/.test(options.timeout) && Number(options.timeout) > 0 ? Number(options.timeout) : fail(USAGE);

let starting: Promise<LocalDependencies> | undefined;
const run = async (): Promise<number> => {
  starting = startLocalDependencies({ env: process.env, persist: options.persist });
  const dependencies = await starting;
  for (const part of dependencies.parts) process.stderr.write(`${part.name}: ${part.embedded ? 'embedded' : 'real'}, ${part.detail}\n`);
  // The composition root reads its configuration from process.env: complete it first.
  Object.assign(process.env, dependencies.env);
  const { lambdaContainer } = await import('../../functions/composition/lambda-container.ts');
  const { tenantSync } = await import('../../functions/composition/sync.ts');
  const sync = await tenantSync(lambdaContainer);
  try {
    const { listingError, ...result } = await sync({ tenantId, requestId: randomUUID(), deadline: Deadline.in(timeoutS * 1_000) });
    // Why the listing stopped short: the error's message only, never the object (it may hold Fetcher's answer).
    const stoppedBy = listingError === undefined ? {} : { listingError: listingError instanceof Error ? listingError.message : 'unknown' };
    process.stdout.write(`${JSON.stringify({ tenantId, ...result, ...stoppedBy })}\n`);
    return 0;
  } catch (error) {
    const problem = error instanceof MatcherError ? { code: error.code, detail: error.detail } : { detail: String(error) };
    process.stdout.write(`${JSON.stringify({ tenantId, error: problem })}\n`);
    return 1;
  }
};

// Waits for a start under way, so a signal mid-start leaves nothing running.
const stopDependencies = async () => (await starting?.catch(() => undefined))?.stop();
const signals = stopOnSignal(stopDependencies);

runToEnd('npm run sync', run, stopDependencies, () => signals.stopping());
