import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { REPO_ROOT } from './local-paths.ts';

export type DispatcherHandler = (event: unknown, context: Context) => Promise<{ tenants: number }>;
export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** The schedule's input to the dispatcher, as the stack's EventBridge Scheduler sends it. */
export const SCHEDULED_INPUT = { source: 'matcher-discovery-schedule' };

/** The function the schedule invokes and the one the queue feeds, from functions/lambda-functions.ts. */
export const backgroundFunction = (trigger: 'schedule' | 'queue') => {
  const found = LAMBDA_FUNCTIONS.find((fn) => fn.trigger === trigger);
  if (!found) throw new Error(`functions/lambda-functions.ts has no ${trigger} function`);
  return found;
};

/**
 * Imports a background function's handler module, as Lambda's cold start does: its configuration is
 * read from process.env at import, so the environment must be complete first.
 */
export const loadBackgroundHandler = async <H>(trigger: 'schedule' | 'queue'): Promise<H> => {
  const { entry } = backgroundFunction(trigger);
  const module = (await import(pathToFileURL(resolve(REPO_ROOT, entry)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
  return module.handler as H;
};
