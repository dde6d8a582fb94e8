import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { SecretReader } from '../../functions/adapters/secrets-manager.ts';
import { createContainer } from '../../functions/composition/container.ts';
import { connectionCache } from '../../functions/composition/dynamodb.ts';
import { fetcher as fetcherPart } from '../../functions/composition/fetcher.ts';
import { hostResolver } from '../../functions/composition/request.ts';
import { checkEnvironment } from '../../functions/config/service-config.ts';
import { createConnectionRoute } from '../../functions/create-connection/route.ts';
import type { ConnectionCache, FetcherPort, HostResolver } from '../../functions/discovery/ports.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type DevIssuer, type TokenOptions } from '../doubles/dev-issuer.ts';
import { localClient } from '../doubles/dynamodb-local.ts';
import { startFakeFetcher, type FakeFetcher, type FakeFetcherOptions } from '../doubles/fake-fetcher.ts';
import { TEST_TABLES } from './global-setup.ts';
import { lambdaContext } from '../tools/lambda-context.ts';
import { createConnectionEvent, type EventOptions } from './route-event.ts';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body (problem or connection). */
  body: any;
  raw: string;
}

export interface TestService {
  fetcher: FakeFetcher;
  issuer: DevIssuer;
  env: Record<string, string>;
  token(options?: TokenOptions): Promise<string>;
  /** Invokes the real handler with a payload 2.0 event; a token with discovery:write unless one is given. */
  invoke(options?: EventOptions & { timeoutMs?: number; anonymous?: boolean }): Promise<Answer>;
  /** Every cache item of one tenant. */
  cacheItems(tenantId?: string): Promise<Record<string, unknown>[]>;
  /** Every item of every table the service writes. */
  scanAll(): Promise<Record<string, unknown>[]>;
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

/**
 * The real handler wired to a loopback fake Fetcher, a loopback JWKS and the run's DynamoDB Local.
 * `env` overrides any variable; the handler is built exactly as handler.ts builds it, except for
 * any adapter given (e.g. a scripted DNS resolver).
 */
/** Adapters a test can put in place of the real ones. */
export interface Adapters {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  resolveHost: HostResolver | undefined;
}

export interface ServiceOptions {
  /** Adapters to use instead of the real ones (e.g. a scripted DNS resolver). */
  adapters?: Partial<Adapters>;
  /** How the fake Fetcher runs (TLS, required token). */
  fetcher?: FakeFetcherOptions;
}

export const startService = async (
  env: Record<string, string> = {},
  { adapters = {}, fetcher: fetcherOptions }: ServiceOptions = {},
): Promise<TestService> => {
  const fetcher = await startFakeFetcher(fetcherOptions);
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
    ...env,
  };
  // Tests pass secrets directly: a secret ARN here is a mistake, not something to read.
  const noSecrets: SecretReader = async (arn) => Promise.reject(new Error(`no secret reader in tests (${arn})`));
  checkEnvironment(fullEnv);
  const container = createContainer(fullEnv, noSecrets);
  if (adapters.fetcher) container.provide(fetcherPart, adapters.fetcher);
  if (adapters.cache) container.provide(connectionCache, adapters.cache);
  if ('resolveHost' in adapters) container.provide(hostResolver, adapters.resolveHost);
  const handler = await createConnectionRoute(container);
  const documents = DynamoDBDocumentClient.from(localClient(inject('dynamodbEndpoint')));

  const token = (options?: TokenOptions) => issuer.sign(options);
  return {
    fetcher,
    issuer,
    env: fullEnv,
    token,
    async invoke({ timeoutMs, anonymous, ...options } = {}) {
      const bearer = options.token ?? (anonymous ? undefined : await token());
      const event = createConnectionEvent({ ...options, ...(bearer ? { token: bearer } : {}) });
      const result = await handler(event, lambdaContext(timeoutMs));
      const raw = result.body ?? '';
      return {
        status: result.statusCode ?? 0,
        headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
        body: raw ? JSON.parse(raw) : undefined,
        raw,
      };
    },
    async cacheItems(tenantId = 'default') {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: TEST_TABLES.cache,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
        }),
      );
      return Items;
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
    async stop() {
      documents.destroy();
      await Promise.all([fetcher.stop(), issuer.stop()]);
    },
  };
};
