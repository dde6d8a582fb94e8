/**
 * `npm run invoke -- <event.json>`: like `sam local invoke -e`. Runs the event's route handler once
 * with the same embedded dependencies as `npm start`, prints the result as one JSON line, stops
 * everything and exits (1 when the handler throws or the event cannot be used).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ROUTES } from '../../functions/routes.ts';
import { lambdaContext } from './lambda-context.ts';
import { parseEvent, routeOfEvent, TOKEN_PLACEHOLDER } from './invoke-event.ts';
import { startLocalDependencies, type LocalDependencies } from './local-dependencies.ts';
import type { LocalRoute } from './local-api.ts';
import { loadRouteHandlers } from './route-handlers.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const USAGE = `usage: npm run invoke -- <event.json> [--persist]

  <event.json>  an API Gateway HTTP API (payload 2.0) event, e.g. test/fixtures/events/create-connection.json;
                ${TOKEN_PLACEHOLDER} in it becomes a fresh dev token (or INVOKE_TOKEN when set)
  --persist     keep DynamoDB Local's data in .local/dynamodb (default: in memory)`;

const TIMEOUT_MS = 29_000;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const { values: options, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { persist: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
})();
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(USAGE);
const file = positionals[0]!;

let starting: Promise<LocalDependencies> | undefined;
const run = async (): Promise<number> => {
  const text = await readFile(file, 'utf8').catch((error: Error) => fail(`cannot read ${file}: ${error.message}`));
  // Checked before anything starts, so a bad file costs no DynamoDB Local start.
  const draft = parseEvent(text.replaceAll(TOKEN_PLACEHOLDER, ''), '');
  const route =
    routeOfEvent(draft, ROUTES) ??
    fail(`no route for ${draft.routeKey} (${draft.requestContext?.http?.method} ${draft.rawPath}) in functions/routes.ts`);

  starting = startLocalDependencies({ env: process.env, persist: options.persist });
  const dependencies = await starting;
  for (const part of dependencies.parts) process.stderr.write(`${part.name}: ${part.embedded ? 'embedded' : 'real'}, ${part.detail}\n`);
  // The handler reads its whole configuration at import: the environment is complete first.
  Object.assign(process.env, dependencies.env);
  const token = process.env.INVOKE_TOKEN?.trim() || (await dependencies.signToken?.());
  const event = parseEvent(text, token);
  const [{ handler }] = (await loadRouteHandlers([route])) as [LocalRoute];

  try {
    const result = await handler(event, lambdaContext(TIMEOUT_MS, route.name));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    // Lambda's answer for an unhandled error.
    const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
    process.stdout.write(`${JSON.stringify({ errorType: name, errorMessage: message })}\n`);
    return 1;
  }
};

// Waits for a start under way, so a signal mid-start leaves nothing running.
const stopDependencies = async () => (await starting?.catch(() => undefined))?.stop();
const signals = stopOnSignal(stopDependencies);

run().then(
  async (code) => {
    await stopDependencies();
    process.exit(code);
  },
  async (error: unknown) => {
    if (signals.stopping()) return;
    await stopDependencies();
    fail(`npm run invoke failed: ${error instanceof Error ? error.message : String(error)}`);
  },
);
