import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { inject } from 'vitest';
import type { SecretReader } from '../../functions/adapters/secrets-manager.ts';
import { createContainer, type Container } from '../../functions/composition/container.ts';
import { connectionCache, dynamodbClient } from '../../functions/composition/dynamodb.ts';
import { fetcher as fetcherPart } from '../../functions/composition/fetcher.ts';
import { hostResolver } from '../../functions/composition/host-policy.ts';
import { checkEnvironment } from '../../functions/config/service-config.ts';
import type { ConnectionCache } from '../../functions/discovery/cache-ports.ts';
import type { FetcherPort, HostResolver } from '../../functions/discovery/ports.ts';
import { tenantSync } from '../../functions/composition/sync.ts';
import { backgroundCall } from '../../functions/composition/background-call.ts';
import type { SyncResult } from '../../functions/discovery/sync-tenant.ts';
import { syncDispatcher } from '../../functions/sync-dispatcher/dispatcher.ts';
import { syncWorker } from '../../functions/sync-worker/worker.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type DevIssuer, type TokenOptions } from '../doubles/dev-issuer.ts';
import { localClient } from '../doubles/dynamodb-local.ts';
import { startFakeFetcher, type FakeFetcher, type FakeFetcherOptions } from '../doubles/fake-fetcher.ts';
import { startFakeSqs, type FakeSqs, type FakeSqsOptions } from '../doubles/fake-sqs.ts';
import { lambdaContext } from '../tools/lambda-context.ts';
import { sqsEventOf, syncMessages } from '../tools/sqs-event.ts';
import { countDynamoDBRequests, type DynamoDBRequests } from './dynamodb-requests.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';
import { asFunction } from './function-invocation.ts';
import { TEST_TABLES } from './global-setup.ts';
import { recordResponse } from './response-record.ts';
import { createConnectionEvent, routeEvent, routeNamed, type EventOptions, type RouteEventOptions } from './route-event.ts';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body (problem or connection), decoded and decompressed when it came gzipped. */
  body: any;
  /** The body as the handler returned it (base64 when isBase64Encoded). */
  raw: string;
  isBase64Encoded: boolean;
}

/** How a test calls a route: a token with discovery:write is sent unless `token` is given or `anonymous` is set. */
export interface CallOptions extends RouteEventOptions {
  timeoutMs?: number;
  anonymous?: boolean;
}

export interface TestService {
  fetcher: FakeFetcher;
  /** The sync queue: what the refresh route and the dispatcher sent. */
  queue: FakeSqs;
  issuer: DevIssuer;
  env: Record<string, string>;
  /** A token the service accepts; `tenantId` goes in the claim the service reads (TENANT_CLAIM, default tenant_id). */
  token(options?: TokenOptions): Promise<string>;
  /** Invokes the create route's real handler with a payload 2.0 event. */
  invoke(options?: EventOptions & { timeoutMs?: number; anonymous?: boolean }): Promise<Answer>;
  /** Invokes any route of functions/routes.ts, by its function's name (`get-connection`) or its route key. */
  call(route: string, options?: CallOptions): Promise<Answer>;
  /** The sync worker's real handler on this container: one message per tenant given, or an SQSEvent as it is. */
  runWorker(tenants: string | string[] | SQSEvent, options?: { timeoutMs?: number }): Promise<SQSBatchResponse>;
  /** The scheduled dispatcher's real handler on this container, with the schedule's event. */
  dispatch(options?: { timeoutMs?: number }): Promise<{ tenants: number }>;
  /** One sync of a tenant, by the part the worker and the refresh route share; its whole result. */
  sync(tenantId: string, options?: { timeoutMs?: number }): Promise<SyncResult>;
  /** Requests the service's own DynamoDB client sent (the tests' reads and writes are not counted). */
  dynamodb: DynamoDBRequests;
  /** A client on the same DynamoDB Local, for tests that read or plant items. */
  documents: DynamoDBDocumentClient;
  /** Every cache item of one tenant. */
  cacheItems(tenantId?: string): Promise<Record<string, unknown>[]>;
  /** Every item of every table the service writes. */
  scanAll(): Promise<Record<string, unknown>[]>;
  /** The DynamoDB client the routes share (e.g. to count their calls with a middleware). */
  dynamodbClient(): Promise<DynamoDBClient>;
  stop(): Promise<void>;
}

/** A body that passes validation, with a configName unique to this call. */
export const validBody = (overrides: Record<string, unknown> = {}) => ({
  configName: `ledger-${randomUUID().slice(0, 8)}`,
  databaseType: 'POSTGRESQL',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'matcher_ro',
  password: 's3cret-pass',
  ...overrides,
});

/** Adapters a test can put in place of the real ones. */
export interface Adapters {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  resolveHost: HostResolver | undefined;
}

export interface ServiceOptions {
  /** Adapters to use instead of the real ones (e.g. a scripted DNS resolver); every route gets them. */
  adapters?: Partial<Adapters>;
  /** How the fake Fetcher runs (TLS, required token). */
  fetcher?: FakeFetcherOptions;
  /** How the fake sync queue behaves (a consumer, refusals). */
  queue?: FakeSqsOptions;
  /** Reads secrets the service reads at run time (per-tenant Fetcher credentials); none by default. */
  readSecret?: SecretReader;
}

type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Builds a route as its handler.ts does, from functions/<name>/route.ts's `<camelCaseName>Route(container)`, on this container. */
const buildRoute = async (name: string, container: Container): Promise<RouteHandler> => {
  const module = (await import(pathToFileURL(join(REPO_ROOT, 'functions', name, 'route.ts')).href)) as Record<string, unknown>;
  const build = module[`${camelCase(name)}Route`];
  if (typeof build !== 'function') throw new Error(`functions/${name}/route.ts does not export ${camelCase(name)}Route`);
  return (await (build as (container: Container) => Promise<unknown>)(container)) as RouteHandler;
};

const answerOf = (result: APIGatewayProxyStructuredResultV2): Answer => {
  const raw = result.body ?? '';
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const isBase64Encoded = result.isBase64Encoded === true;
  const bytes = Buffer.from(raw, isBase64Encoded ? 'base64' : 'utf8');
  const text = (headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
  return { status: result.statusCode ?? 0, headers, body: text ? JSON.parse(text) : undefined, raw, isBase64Encoded };
};

/**
 * The real routes wired to a loopback fake Fetcher, a loopback JWKS and the run's DynamoDB Local.
 * `env` overrides any variable (MULTI_TENANT=true included); each route is built once, on first use,
 * exactly as its handler.ts builds it, on one container, so any adapter given applies to every route.
 */
export const startService = async (
  env: Record<string, string> = {},
  { adapters = {}, fetcher: fetcherOptions, queue: queueOptions, readSecret }: ServiceOptions = {},
): Promise<TestService> => {
  const fetcher = await startFakeFetcher(fetcherOptions);
  const queue = await startFakeSqs(queueOptions);
  const issuer = await startDevIssuer();
  const fullEnv: Record<string, string> = {
    FETCHER_URL: fetcher.url,
    FETCHER_ALLOW_INSECURE_HTTP: 'true',
    FETCHER_TIMEOUT_MS: '2000',
    JWT_JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: DEV_ISSUER,
    JWT_AUDIENCE: DEV_AUDIENCE,
    TABLE_NAME: TEST_TABLES.cache,
    IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency,
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    SCHEMA_DISCOVERY_BUDGET_MS: '1000',
    IDEMPOTENCY_SECRET: 'test-idempotency-secret-of-32-characters',
    CURSOR_SECRET: 'test-cursor-secret-of-32-characters!',
    SYNC_QUEUE_URL: queue.queueUrl,
    // One Fetcher identity for every tenant, said out loud as an operator must, unless the test sets Fetcher's auth.
    ...(env.MULTI_TENANT === 'true' && env.FETCHER_AUTH === undefined ? { FETCHER_SHARED_IDENTITY: 'true' } : {}),
    ...env,
  };
  // Tests pass secrets directly: a secret ARN here is a mistake, not something to read.
  const noSecrets: SecretReader = async (arn) => Promise.reject(new Error(`no secret reader in tests (${arn})`));
  checkEnvironment(fullEnv);
  const container = createContainer(fullEnv, readSecret ?? noSecrets);
  if (adapters.fetcher) container.provide(fetcherPart, adapters.fetcher);
  if (adapters.cache) container.provide(connectionCache, adapters.cache);
  if ('resolveHost' in adapters) container.provide(hostResolver, adapters.resolveHost);
  const routes = new Map<string, Promise<RouteHandler>>();
  // Built and run as the function of that name, so the AWS calls each makes are recorded as its own.
  const routeHandler = (name: string) =>
    routes.get(name) ??
    routes
      .set(
        name,
        asFunction(name, fullEnv, () => buildRoute(name, container)),
      )
      .get(name)!;
  // The create route is built now, as before: a test that breaks its configuration fails at start.
  await routeHandler('create-connection');
  const documents = DynamoDBDocumentClient.from(localClient(fullEnv.DYNAMODB_ENDPOINT!));
  const dynamodb = countDynamoDBRequests(await dynamodbClient(container));
  // Built on first use, as their handler.ts would be at cold start.
  let worker: ReturnType<typeof syncWorker> | undefined;
  let dispatcher: ReturnType<typeof syncDispatcher> | undefined;

  const tenantClaim = fullEnv.TENANT_CLAIM?.trim() || 'tenant_id';
  const token = ({ tenantId, claims = {}, ...options }: TokenOptions = {}) =>
    issuer.sign(tenantId === undefined ? { ...options, claims } : { ...options, claims: { [tenantClaim]: tenantId, ...claims } });
  const bearerFor = async ({ token: given, anonymous }: { token?: string; anonymous?: boolean }) =>
    given ?? (anonymous ? undefined : await token());
  const run = async (name: string, event: APIGatewayProxyEventV2, timeoutMs: number | undefined) => {
    const handler = await routeHandler(name);
    const answer = answerOf(await asFunction(name, fullEnv, () => handler(event, lambdaContext(timeoutMs, name))));
    recordResponse({ route: name, status: answer.status, contentType: answer.headers['content-type'], body: answer.body });
    return answer;
  };

  return {
    fetcher,
    queue,
    issuer,
    env: fullEnv,
    token,
    async invoke({ timeoutMs, anonymous, ...options } = {}) {
      const bearer = await bearerFor({ token: options.token, anonymous });
      return run('create-connection', createConnectionEvent({ ...options, ...(bearer ? { token: bearer } : {}) }), timeoutMs);
    },
    async call(name, { timeoutMs, anonymous, ...options } = {}) {
      const route = routeNamed(name);
      const bearer = await bearerFor({ token: options.token, anonymous });
      return run(route.name, routeEvent(route, { ...options, ...(bearer ? { token: bearer } : {}) }), timeoutMs);
    },
    async runWorker(tenants, { timeoutMs = 60_000 } = {}) {
      const event =
        typeof tenants === 'string' || Array.isArray(tenants) ? sqsEventOf(syncMessages([tenants].flat()), queue.queueUrl) : tenants;
      const handler = await (worker ??= syncWorker(container));
      return asFunction('sync-worker', fullEnv, () => handler(event, lambdaContext(timeoutMs, 'sync-worker')));
    },
    async dispatch({ timeoutMs = 60_000 } = {}) {
      const scheduled = { source: 'matcher-discovery-schedule' };
      const handler = await (dispatcher ??= syncDispatcher(container));
      return asFunction('sync-dispatcher', fullEnv, () => handler(scheduled, lambdaContext(timeoutMs, 'sync-dispatcher')));
    },
    async sync(tenantId, { timeoutMs = 60_000 } = {}) {
      const context = lambdaContext(timeoutMs, 'sync-worker');
      const sync = await tenantSync(container);
      return asFunction('sync-worker', fullEnv, () => sync(backgroundCall(tenantId, context.awsRequestId, context)));
    },
    dynamodb,
    documents,
    async cacheItems(tenantId = 'default') {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: fullEnv.TABLE_NAME,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      for (const table of Object.values(TEST_TABLES)) {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
      }
      return items;
    },
    dynamodbClient: () => dynamodbClient(container),
    async stop() {
      documents.destroy();
      await Promise.all([fetcher.stop(), issuer.stop(), queue.stop()]);
    },
  };
};
