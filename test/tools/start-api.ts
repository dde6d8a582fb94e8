/**
 * `npm start`: like `sam local start-api`. Serves every route of functions/routes.ts on
 * 127.0.0.1:$PORT through the real handlers, with an embedded stand-in for each dependency whose
 * variable is unset. Ctrl-C or SIGTERM stops everything and exits 0.
 */
import { parseArgs } from 'node:util';
import { ROUTES } from '../../functions/routes.ts';
import { apiDocumentText } from './api-document-file.ts';
import { apiDocs } from './api-docs.ts';
import { startLocalApi, type LocalApi } from './local-api.ts';
import { startLocalDependencies, type LocalDependencies } from './local-dependencies.ts';
import { loadRouteHandlers } from './route-handlers.ts';
import { BANNER_TOKEN_TTL_S, startBanner } from './start-banner.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const USAGE = `usage: npm start [-- --persist]

  --persist   keep DynamoDB Local's data in .local/dynamodb (default: in memory)

PORT (default 3000) sets the port. FETCHER_URL, JWT_JWKS_URL or JWT_SECRET, and DYNAMODB_ENDPOINT
replace the embedded fake Fetcher, dev issuer and DynamoDB Local with real ones.`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const { values: options } = (() => {
  try {
    return parseArgs({ options: { persist: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
})();
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const portText = process.env.PORT?.trim() || '3000';
const port =
  /^\d{1,5}$/.test(portText) && Number(portText) <= 65_535 ? Number(portText) : fail(`PORT must be a port number, not "${portText}"`);

const running: { dependencies?: LocalDependencies; api?: LocalApi } = {};
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
  running.api = await startLocalApi({ routes, port, pages });
  const token = await signToken?.({ expiresIn: BANNER_TOKEN_TTL_S });
  process.stdout.write(
    startBanner({ url: running.api.url, readySeconds: performance.now() / 1000, routes, parts: running.dependencies.parts, token }),
  );
})();

const signals = stopOnSignal(async () => {
  // A signal during startup waits for it, so nothing half-started (DynamoDB Local's Java) is left behind.
  await startup.catch(() => {});
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
