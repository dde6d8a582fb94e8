import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { DEFAULT_METRICS_NAMESPACE } from '../../functions/observability/service-name.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type TokenOptions } from '../doubles/dev-issuer.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../doubles/dynamodb-local.ts';
import { startFakeSqs, type QueuedMessage } from '../doubles/fake-sqs.ts';
import { startFetcherEmulator } from '../doubles/fetcher-server.ts';
import { startLocalTenantIdentity, wantsTenantIdentity } from './local-tenant-identity.ts';
import { devIssuerKeysDir, dynamoDbDataDir, localSecretFile, REPO_ROOT } from './local-paths.ts';

/** One dependency of the handler, embedded by the harness or the real one named by a variable. */
export interface Part {
  name: 'DynamoDB' | 'Fetcher' | 'JWT issuer' | 'Sync queue';
  embedded: boolean;
  detail: string;
}

export interface LocalDependencies {
  /** Variables to set before importing a handler: the tables, and those of every embedded part. */
  env: Record<string, string>;
  parts: Part[];
  /** Signs tokens the handler accepts; only when the dev issuer is embedded. */
  signToken: ((options?: TokenOptions) => Promise<string>) | undefined;
  /** DynamoDB Local's Java process, when embedded. */
  dynamodbProcess: ChildProcess | undefined;
  /** Hands each message sent to the embedded sync queue to `consumer`; undefined when the queue is a real one. */
  consumeSyncQueue: ((consumer: SyncQueueConsumer) => void) | undefined;
  stop(): Promise<void>;
}

/** What takes the embedded queue's messages, as Lambda's SQS event source takes a real queue's. */
export type SyncQueueConsumer = (message: QueuedMessage) => Promise<void>;

export interface StartOptions {
  env: NodeJS.ProcessEnv;
  /** Keep DynamoDB Local's data on disk (LOCAL_STATE_DIR/dynamodb) instead of in memory. */
  persist: boolean;
}

interface Started {
  env: Record<string, string>;
  part: Part;
  stop(): Promise<void>;
  signToken?: (options?: TokenOptions) => Promise<string>;
  process?: ChildProcess;
  consume?: (consumer: SyncQueueConsumer) => void;
}

const DEFAULT_TABLES = { cache: 'discovery-cache-local', idempotency: 'discovery-idempotency-local' };

// As functions/config/service-config.ts reads it: a variable set to blanks is unset.
const valueOf = (env: NodeJS.ProcessEnv, name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);
// Paths inside the repository are shown relative to it, others (LOCAL_STATE_DIR) as they are.
const shown = (path: string) => (relative(REPO_ROOT, path).startsWith('..') ? path : relative(REPO_ROOT, path));
const noop = async () => {};

const dynamoDb = async ({ env, persist }: StartOptions): Promise<Started> => {
  const tables = {
    TABLE_NAME: valueOf(env, 'TABLE_NAME') ?? DEFAULT_TABLES.cache,
    IDEMPOTENCY_TABLE_NAME: valueOf(env, 'IDEMPOTENCY_TABLE_NAME') ?? DEFAULT_TABLES.idempotency,
  };
  const names = `tables ${tables.TABLE_NAME}, ${tables.IDEMPOTENCY_TABLE_NAME}`;
  const endpoint = valueOf(env, 'DYNAMODB_ENDPOINT');
  // A real endpoint is used as it is: its tables are the stack's (or yours) to create.
  if (endpoint) return { env: tables, part: { name: 'DynamoDB', embedded: false, detail: `${endpoint}, ${names}` }, stop: noop };

  const path = persist ? dynamoDbDataDir(env) : undefined;
  if (path) await mkdir(path, { recursive: true });
  const local = await startDynamoDbLocal({ path });
  try {
    const client = localClient(local.endpoint);
    await ensureTable(client, tables.TABLE_NAME, CACHE_TABLE);
    await ensureTable(client, tables.IDEMPOTENCY_TABLE_NAME, IDEMPOTENCY_TABLE);
    client.destroy();
  } catch (error) {
    await local.stop();
    throw error;
  }
  return {
    env: { ...tables, DYNAMODB_ENDPOINT: local.endpoint },
    part: {
      name: 'DynamoDB',
      embedded: true,
      detail: `DynamoDB Local at ${local.endpoint}, ${path ? `data kept in ${shown(path)}` : 'in memory'}, ${names}`,
    },
    process: local.process,
    stop: () => local.stop(),
  };
};

const fetcher = async ({ env }: StartOptions): Promise<Started> => {
  const url = valueOf(env, 'FETCHER_URL');
  if (url) return { env: {}, part: { name: 'Fetcher', embedded: false, detail: url }, stop: noop };
  const fake = await startFetcherEmulator();
  // Multi-tenant: the fake Fetcher keeps tenants apart by their tokens, so each tenant gets its own.
  let identity: Awaited<ReturnType<typeof startLocalTenantIdentity>> | undefined;
  try {
    if (wantsTenantIdentity(env)) identity = await startLocalTenantIdentity(env);
  } catch (error) {
    await fake.stop();
    throw error;
  }
  return {
    env: { FETCHER_URL: fake.url, FETCHER_ALLOW_INSECURE_HTTP: 'true', ...identity?.env },
    part: {
      name: 'Fetcher',
      embedded: true,
      detail: `fake Fetcher at ${fake.url}, in memory, demo schema tables${identity ? `; ${identity.detail}` : ''}`,
    },
    stop: async () => {
      await Promise.all([fake.stop(), identity?.stop()]);
    },
  };
};

const syncQueue = async ({ env }: StartOptions): Promise<Started> => {
  const url = valueOf(env, 'SYNC_QUEUE_URL');
  if (url) return { env: {}, part: { name: 'Sync queue', embedded: false, detail: url }, stop: noop };
  // Messages sent before a consumer is set (none is, with --no-sync) stay in the queue, unread.
  let consumer: SyncQueueConsumer | undefined;
  const queue = await startFakeSqs({ deliver: (message) => consumer?.(message) });
  return {
    env: { SYNC_QUEUE_URL: queue.queueUrl },
    part: { name: 'Sync queue', embedded: true, detail: `local queue at ${queue.queueUrl}` },
    consume: (given) => void (consumer = given),
    stop: () => queue.stop(),
  };
};

const issuer = async ({ env }: StartOptions): Promise<Started> => {
  const jwksUrl = valueOf(env, 'JWT_JWKS_URL');
  const checks = [
    valueOf(env, 'JWT_ISSUER') && `issuer ${env.JWT_ISSUER}`,
    valueOf(env, 'JWT_AUDIENCE') && `audience ${env.JWT_AUDIENCE}`,
  ].filter(Boolean);
  if (jwksUrl || valueOf(env, 'JWT_SECRET')) {
    const keys = jwksUrl ? `JWKS at ${jwksUrl}` : 'HMAC secret from JWT_SECRET';
    return { env: {}, part: { name: 'JWT issuer', embedded: false, detail: [keys, ...checks].join(', ') }, stop: noop };
  }
  const keysDir = devIssuerKeysDir(env);
  const dev = await startDevIssuer({ keysDir });
  return {
    env: { JWT_JWKS_URL: dev.jwksUrl, JWT_ISSUER: DEV_ISSUER, JWT_AUDIENCE: DEV_AUDIENCE },
    part: { name: 'JWT issuer', embedded: true, detail: `dev issuer, JWKS at ${dev.jwksUrl}, keys in ${shown(keysDir)}` },
    signToken: (options) => dev.sign(options),
    stop: () => dev.stop(),
  };
};

// The idempotency layer HMACs keys under IDEMPOTENCY_SECRET. Unless it is set, a random one is made
// once and kept beside the dev keys, so replays still match after a restart with --persist.
/** One server secret the harness makes once and keeps in LOCAL_STATE_DIR, so a restart with --persist still matches. */
const keptSecret = async (env: NodeJS.ProcessEnv, variable: string): Promise<Record<string, string>> => {
  if (valueOf(env, variable)) return {};
  const file = localSecretFile(env, variable);
  const read = async () => (await readFile(file, 'utf8')).trim();
  try {
    return { [variable]: await read() };
  } catch {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': if another process made it first, use theirs.
    await writeFile(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return { [variable]: await read() };
  }
};

// Idempotency keys and list cursors are HMACed under server secrets: made once, kept beside the dev keys.
const localSecrets = async (env: NodeJS.ProcessEnv): Promise<Record<string, string>> => ({
  ...(await keptSecret(env, 'IDEMPOTENCY_SECRET')),
  ...(await keptSecret(env, 'CURSOR_SECRET')),
});

/**
 * Starts, side by side, an embedded stand-in for each dependency whose variable is unset and describes
 * the real one for each that is set. If one fails, the others are stopped.
 */
/**
 * What Lambda's runtime and the stack give every function, unless set: a cold start Powertools can
 * see (it logs cold_start: true only under AWS_LAMBDA_INITIALIZATION_TYPE=on-demand), and the metrics
 * namespace the stack sets, without which Powertools warns at every flush.
 */
const lambdaRuntime = (env: NodeJS.ProcessEnv): Record<string, string> => ({
  ...(valueOf(env, 'AWS_LAMBDA_INITIALIZATION_TYPE') ? {} : { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' }),
  ...(valueOf(env, 'POWERTOOLS_METRICS_NAMESPACE') ? {} : { POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE }),
});

export const startLocalDependencies = async (options: StartOptions): Promise<LocalDependencies> => {
  const outcomes = await Promise.allSettled([dynamoDb(options), fetcher(options), issuer(options), syncQueue(options)]);
  const started = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  const stop = async () => {
    await Promise.all(started.map((part) => part.stop()));
  };
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    env: Object.assign(lambdaRuntime(options.env), await localSecrets(options.env), ...started.map((part) => part.env)) as Record<
      string,
      string
    >,
    parts: started.map((part) => part.part),
    signToken: started.find((part) => part.signToken)?.signToken,
    dynamodbProcess: started.find((part) => part.process)?.process,
    consumeSyncQueue: started.find((part) => part.consume)?.consume,
    stop,
  };
};
