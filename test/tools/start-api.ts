/**
 * `npm start`: like `sam local start-api`. Serves every route of functions/routes.ts on
 * 127.0.0.1:$PORT through the real handlers, with an embedded stand-in for each dependency whose
 * variable is unset. Ctrl-C or SIGTERM stops everything and exits 0.
 */
import { commandLine, fail } from './command-line.ts';
import { ROUTES } from '../../functions/routes.ts';
import { apiDocumentText } from './api-document-file.ts';
import { apiDocs } from './api-docs.ts';
import { listenHost } from './listen-host.ts';
import { startLocalApi, type LocalApi } from './local-api.ts';
import { startLocalDependencies, type LocalDependencies } from './local-dependencies.ts';
import { startLocalSync, type LocalSync } from './local-sync.ts';
import { loadRouteHandlers } from './route-handlers.ts';
import { BANNER_TOKEN_TTL_S, startBanner } from './start-banner.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const USAGE = `usage: npm start [-- --persist] [-- --no-sync] [-- --expose]

  --persist   keep DynamoDB Local's data in .local/dynamodb (default: in memory)
  --no-sync   do not run the scheduled sync (the dispatcher and the sync worker) on a timer
  --expose    allow a HOST that is not a loopback address

HOST (default 127.0.0.1) sets the address to listen on, PORT (default 3000) the port, LOCAL_SYNC_INTERVAL_S (default 60) how often the sync runs.
FETCHER_URL, JWT_JWKS_URL or JWT_SECRET, DYNAMODB_ENDPOINT and SYNC_QUEUE_URL replace the embedded
fake Fetcher, dev issuer, DynamoDB Local and queue with real ones.`;

const { values: options } = commandLine(USAGE, {
  options: {
    persist: { type: 'boolean', default: false },
    'no-sync': { type: 'boolean', default: false },
    expose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const host = (() => {
  try {
    return listenHost(process.env.HOST, options.expose);
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const portText = process.env.PORT?.trim() || '3000';
const port =
  /^\d{1,5}$/.test(portText) && Number(portText) <= 65_535 ? Number(portText) : fail(`PORT must be a port number, not "${portText}"`);

const intervalText = process.env.LOCAL_SYNC_INTERVAL_S?.trim() || '60';
const syncIntervalS =
  /^\d{1,6}$/.test(intervalText) && Number(intervalText) > 0
    ? Number(intervalText)
    : fail(`LOCAL_SYNC_INTERVAL_S must be a number of seconds, not "${intervalText}"`);

const running: { dependencies?: LocalDependencies; api?: LocalApi; sync?: LocalSync } = {};
const startup = (async () => {
  running.dependencies = await startLocalDependencies({ env: process.env, persist: options.persist });
  // The handlers read their whole configuration at import: the environment is complete first.
  Object.assign(process.env, running.dependencies.env);
  const routes = await loadRouteHandlers(ROUTES);
  const { signToken } = running.dependencies;
  const document = apiDocumentText();
  const pages = apiDocs({
    document: () => document,
    ...(signToken ? { devToken: () => signToken({ expiresIn: BANNER_TOKEN_TTL_S }) } : {}),
    port: () => running.api?.port ?? port,
  });
  running.api = await startLocalApi({ routes, host, port, pages });
  if (!options['no-sync'])
    running.sync = await startLocalSync(syncIntervalS, running.dependencies, (line) => process.stderr.write(`${line}\n`));
  const token = await signToken?.({ expiresIn: BANNER_TOKEN_TTL_S });
  const sync = running.sync?.description ?? 'off (--no-sync)';
  process.stdout.write(
    startBanner({ url: running.api.url, readySeconds: performance.now() / 1000, routes, parts: running.dependencies.parts, token, sync }),
  );
})();

const signals = stopOnSignal(async () => {
  // A signal during startup waits for it, so nothing half-started (DynamoDB Local's Java) is left behind.
  await startup.catch(() => {});
  running.sync?.stop();
  await running.api?.stop();
  await running.dependencies?.stop();
});

startup.catch(async (error: unknown) => {
  if (signals.stopping()) return;
  await running.dependencies?.stop();
  const reason =
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `port ${port} is in use; set PORT to another one`
      : error instanceof Error
        ? error.message
        : String(error);
  fail(`npm start failed: ${reason}`);
});
