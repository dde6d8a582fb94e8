/**
 * `npm run invoke -- <event.json>`: like `sam local invoke -e`. Runs the function the event is for
 * once (a route's handler for an API Gateway event, the sync dispatcher for a scheduled event, the
 * sync worker for an SQS event), with the same embedded dependencies as `npm start`, prints the
 * result as one JSON line, stops everything and exits (1 when the handler throws or the event cannot
 * be used).
 */
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { commandLine, fail, runToEnd } from './command-line.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { ROUTES } from '../../functions/routes.ts';
import { backgroundFunction, loadBackgroundHandler } from './background-handlers.ts';
import { kindOfEvent, type EventKind } from './event-kind.ts';
import { lambdaContext } from './lambda-context.ts';
import { parseEvent, routeOfEvent, TOKEN_PLACEHOLDER } from './invoke-event.ts';
import { startLocalDependencies, type LocalDependencies } from './local-dependencies.ts';
import type { LocalRoute } from './local-api.ts';
import { loadRouteHandlers } from './route-handlers.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const USAGE = `usage: npm run invoke -- <event.json> [--function <name>] [--persist]

  <event.json>       an API Gateway HTTP API (payload 2.0) event, e.g. test/fixtures/events/create-connection.json,
                     a scheduled event (sync-schedule.json) or an SQS event (sync-queue-message.json);
                     ${TOKEN_PLACEHOLDER} in it becomes a fresh dev token (or INVOKE_TOKEN when set)
  --function <name>  the function to run, when the event's shape should not decide: ${LAMBDA_FUNCTIONS.map((fn) => fn.name).join(', ')}
  --persist          keep DynamoDB Local's data in .local/dynamodb (default: in memory)`;

const TIMEOUT_MS = 29_000;
// The stack's default for the sync worker (CDK sync.timeoutSeconds); the dispatcher needs far less.
const BACKGROUND_TIMEOUT_MS = 120_000;

const { values: options, positionals } = commandLine(USAGE, {
  allowPositionals: true,
  options: {
    persist: { type: 'boolean', default: false },
    function: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (positionals.length !== 1) fail(USAGE);
const file = positionals[0]!;

const KIND_OF_TRIGGER: Record<string, EventKind> = { http: 'http', schedule: 'schedule', queue: 'queue' };
const kindOf = (text: string): EventKind => {
  if (options.function !== undefined) {
    const named = LAMBDA_FUNCTIONS.find((fn) => fn.name === options.function) ?? fail(`no function ${options.function}\n\n${USAGE}`);
    return KIND_OF_TRIGGER[named.trigger]!;
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replaceAll(TOKEN_PLACEHOLDER, ''));
  } catch (error) {
    fail(`${file} is not JSON: ${(error as Error).message}`);
  }
  return (
    kindOfEvent(json) ??
    fail(`${file} is neither an API Gateway payload 2.0 event, a scheduled event nor an SQS event; name the function with --function`)
  );
};

let starting: Promise<LocalDependencies> | undefined;
// Any handler: each takes its own kind of event, which the caller has checked.
type AnyHandler = (event: never, context: Context) => Promise<unknown>;

/** Runs the handler once and prints its result; Lambda's own answer for an error it throws. */
const invokeOnce = async (handler: AnyHandler, event: unknown, context: Context) => {
  try {
    process.stdout.write(`${JSON.stringify(await handler(event as never, context))}\n`);
    return 0;
  } catch (error) {
    const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
    process.stdout.write(`${JSON.stringify({ errorType: name, errorMessage: message })}\n`);
    return 1;
  }
};

const run = async (): Promise<number> => {
  const text = await readFile(file, 'utf8').catch((error: Error) => fail(`cannot read ${file}: ${error.message}`));
  // Checked before anything starts, so a bad file costs no DynamoDB Local start.
  const kind = kindOf(text);
  const route =
    kind === 'http'
      ? (() => {
          const draft = parseEvent(text.replaceAll(TOKEN_PLACEHOLDER, ''), '');
          return (
            routeOfEvent(draft, ROUTES) ??
            fail(`no route for ${draft.routeKey} (${draft.requestContext?.http?.method} ${draft.rawPath}) in functions/routes.ts`)
          );
        })()
      : undefined;

  starting = startLocalDependencies({ env: process.env, persist: options.persist });
  const dependencies = await starting;
  for (const part of dependencies.parts) process.stderr.write(`${part.name}: ${part.embedded ? 'embedded' : 'real'}, ${part.detail}\n`);
  // The handler reads its whole configuration at import: the environment is complete first.
  Object.assign(process.env, dependencies.env);

  if (kind !== 'http') {
    const name = backgroundFunction(kind).name;
    const handler = await loadBackgroundHandler<AnyHandler>(kind);
    return invokeOnce(handler, JSON.parse(text) as unknown, lambdaContext(BACKGROUND_TIMEOUT_MS, name));
  }
  const token = process.env.INVOKE_TOKEN?.trim() || (await dependencies.signToken?.());
  const event = parseEvent(text, token);
  const [{ handler }] = (await loadRouteHandlers([route!])) as [LocalRoute];
  return invokeOnce(handler, event, lambdaContext(TIMEOUT_MS, route!.name));
};

// Waits for a start under way, so a signal mid-start leaves nothing running.
const stopDependencies = async () => (await starting?.catch(() => undefined))?.stop();
const signals = stopOnSignal(stopDependencies);

runToEnd('npm run invoke', run, stopDependencies, () => signals.stopping());
