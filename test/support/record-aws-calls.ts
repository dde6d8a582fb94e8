/**
 * A vitest setup file: records every AWS request the code under test sends, as the SDK puts it on
 * the wire (its X-Amz-Target and the resources its body names), with the function that sent it and
 * where from, in reports/aws-calls/. test/iam/ judges those calls against the synthesized roles.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { Client } from '@smithy/core/client';
import { expect } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';
import { appendAwsCall, type AwsCall, type CalledResource } from './aws-call-log.ts';
import { currentInvocation } from './function-invocation.ts';
import { TEST_TABLES } from './global-setup.ts';

const FILE = `${process.pid}-${randomUUID().slice(0, 8)}.jsonl`;
const SELF = relative(REPO_ROOT, new URL(import.meta.url).pathname);
// A function's own folder in a stack frame (functions/sync-worker/worker.ts): who made an unattributed call.
const FUNCTION_FRAME = new RegExp(`/functions/(${LAMBDA_FUNCTIONS.map((fn) => fn.name).join('|')})/`);
// The run's own tables, whatever the environment: what a test's DynamoDB calls may name.
const DEFAULT_VARIABLES: Record<string, string> = { TABLE_NAME: TEST_TABLES.cache, IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency };

interface Sending {
  fn: string | null;
  attributedBy: AwsCall['attributedBy'];
  env: Record<string, string | undefined>;
  stack: string;
}

/** The repository's own frames of a stack, nearest first, without node_modules and this file. */
const siteOf = (stack: string) =>
  stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim().replace(/^at /, ''))
    .filter((line) => line.includes(REPO_ROOT) && !line.includes('/node_modules/'))
    .map((line) => line.replaceAll(`${REPO_ROOT}/`, '').replace('file://', ''))
    .filter((line) => !line.includes(SELF))
    .slice(0, 8);

/** What the body names: TableName (and IndexName), each table of a batch or transaction, QueueUrl, SecretId. */
const resourcesOf = (body: Record<string, any>): Omit<CalledResource, 'variable'>[] => {
  if (body.RequestItems) return Object.keys(body.RequestItems as object).map((name) => ({ name }));
  if (Array.isArray(body.TransactItems))
    return (body.TransactItems as Record<string, { TableName: string }>[]).flatMap((entry) =>
      Object.entries(entry).map(([item, value]) => ({ name: value.TableName, item })),
    );
  if (body.TableName) return [{ name: body.TableName, ...(body.IndexName ? { index: body.IndexName } : {}) }];
  if (body.QueueUrl) return [{ name: body.QueueUrl }];
  if (body.SecretId) return [{ name: body.SecretId }];
  return [];
};

/** The variable of the function's environment that names this resource. */
const variableOf = (name: string, target: string, env: Record<string, string | undefined>) => {
  const found = Object.entries({ ...DEFAULT_VARIABLES, ...env }).find(([, value]) => value === name)?.[0];
  if (found) return found;
  // A tenant's own Fetcher credentials: the secret named by the prefix plus the tenant id.
  const prefix = env.FETCHER_TENANT_SECRET_PREFIX;
  if (prefix && target.startsWith('secretsmanager.') && name.startsWith(prefix)) return 'FETCHER_TENANT_SECRET_PREFIX';
  // The only queue there is: a call by stack attribution knows no environment.
  return target.startsWith('AmazonSQS.') ? 'SYNC_QUEUE_URL' : undefined;
};

/** The body as text: a string, or bytes (the JSON codec's own Uint8Array). */
const textOf = (body: unknown) =>
  typeof body === 'string'
    ? body
    : body instanceof Uint8Array
      ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
      : '';

const parsed = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
};

const record = (sending: Sending, request: { headers: Record<string, string>; body?: unknown; hostname?: string }) => {
  const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
  const body = parsed(textOf(request.body));
  const resources = resourcesOf(body).map((resource) => {
    const variable = variableOf(resource.name, target, sending.env);
    return variable ? { ...resource, variable } : resource;
  });
  const state = expect.getState();
  appendAwsCall(FILE, {
    fn: sending.fn,
    attributedBy: sending.attributedBy,
    target,
    host: request.hostname ?? '',
    resources,
    site: siteOf(sending.stack),
    testFile: state.testPath ? relative(REPO_ROOT, state.testPath) : '',
    testName: state.currentTestName ?? '',
  });
};

const sending = new AsyncLocalStorage<Sending>();
const instrumented = new WeakSet<object>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- always called with the client as `this`
const original = Client.prototype.send as (this: Client<any, any, any, any>, ...args: unknown[]) => Promise<unknown>;

/** Who is sending: the invocation it runs in, or else the function whose folder its stack passes through. */
const sendingNow = (): Sending => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error('sent from').stack ?? '';
  Error.stackTraceLimit = limit;
  const invocation = currentInvocation();
  if (invocation) return { fn: invocation.fn, attributedBy: 'invocation', env: invocation.env, stack };
  const fromStack = FUNCTION_FRAME.exec(stack)?.[1];
  // A handler.ts imported as Lambda loads it is configured from process.env (functions/composition/lambda-container.ts).
  return { fn: fromStack ?? null, attributedBy: fromStack ? 'stack' : null, env: { ...process.env }, stack };
};

// Every client, once: a middleware after signing sees the request exactly as it goes out. Each send
// runs in its own async context that carries who sent it, so concurrent sends are never mixed up.
Client.prototype.send = function send(this: Client<any, any, any, any>, command: any, ...rest: unknown[]) {
  const stack = this.middlewareStack;
  if (!instrumented.has(stack)) {
    instrumented.add(stack);
    stack.add(
      (next: (args: any) => Promise<any>) => async (args: any) => {
        const sender = sending.getStore();
        if (sender) record(sender, args.request);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordAwsCall', priority: 'low' },
    );
  }
  return sending.run(sendingNow(), () => original.call(this, command, ...rest));
} as typeof Client.prototype.send;
