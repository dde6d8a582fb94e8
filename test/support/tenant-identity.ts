import { randomUUID } from 'node:crypto';
import { createSecretReader } from '../../functions/adapters/secrets-manager.ts';
import { startFakeSecretsManager, type FakeSecretsManager, type FakeSecretsManagerOptions } from '../doubles/fake-secrets-manager.ts';
import { startFakeTokenService, type FakeTokenService, type TokenClient } from '../doubles/fake-token-service.ts';
import { startService, type ServiceOptions, type TestService } from './service.ts';

export const TENANT_SECRET_PREFIX = 'matcher/fetcher-client/';

/** One tenant's Fetcher client: its id and secret, held in `${TENANT_SECRET_PREFIX}${tenantId}`. */
export interface TenantClient {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  secretId: string;
}

export interface MultiTenantFetcher {
  service: TestService;
  tokens: FakeTokenService;
  secrets: FakeSecretsManager;
  /** The tenants with credentials, in the order given. */
  clients: TenantClient[];
  clientOf(tenantId: string): TenantClient;
  /** The token service's tokens, for one tenant, in order. */
  tokensOf(tenantId: string): string[];
  /** The Authorization headers the fake Fetcher received on business routes, each with the tenantId its token carries. */
  fetcherTenants(): (string | undefined)[];
  stop(): Promise<void>;
}

export const tenantClient = (tenantId: string): TenantClient => ({
  tenantId,
  clientId: `fetcher-client-${tenantId}`,
  clientSecret: `CANARY-tenant-secret-${randomUUID()}`,
  secretId: `${TENANT_SECRET_PREFIX}${tenantId}`,
});

/** The tenantId claim of the bearer token in an Authorization header (read unverified, as Fetcher picks the database). */
export const tenantOfToken = (authorization: string | string[] | undefined) => {
  const token = /^Bearer (.+)$/.exec(String(authorization ?? ''))?.[1];
  if (!token) return undefined;
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { tenantId?: string };
  return payload.tenantId;
};

/**
 * The service with MULTI_TENANT=true and FETCHER_AUTH=client_credentials per tenant: a fake token
 * service that knows each tenant's client, a fake Secrets Manager holding each tenant's credentials
 * under the prefix, and a fake Fetcher that accepts only live tokens and keeps each tenant's
 * connections apart by the token's tenantId claim.
 */
export const startMultiTenantFetcher = async ({
  tenants,
  env = {},
  expiresIn = 3600,
  tokenDelayMs = 0,
  secretsOptions = {},
  serviceOptions = {},
}: {
  /** Tenants to give credentials to; others have none. */
  tenants: string[];
  env?: Record<string, string>;
  expiresIn?: number;
  tokenDelayMs?: number;
  secretsOptions?: FakeSecretsManagerOptions;
  serviceOptions?: ServiceOptions;
}): Promise<MultiTenantFetcher> => {
  const clients = tenants.map(tenantClient);
  const known = new Map<string, TokenClient>(clients.map((c) => [c.clientId, { clientSecret: c.clientSecret, tenantId: c.tenantId }]));
  const tokens = await startFakeTokenService({ clients: (id) => known.get(id), expiresIn, delayMs: tokenDelayMs });
  const secrets = await startFakeSecretsManager(
    Object.fromEntries(
      clients.map((c) => [c.secretId, { SecretString: JSON.stringify({ clientId: c.clientId, clientSecret: c.clientSecret }) }]),
    ),
    secretsOptions,
  );
  const readSecret = createSecretReader({
    endpoint: secrets.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const service = await startService(
    {
      MULTI_TENANT: 'true',
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: tokens.url,
      FETCHER_TENANT_SECRET_PREFIX: TENANT_SECRET_PREFIX,
      SCHEMA_DISCOVERY_BUDGET_MS: '0',
      ...env,
    },
    { ...serviceOptions, readSecret, fetcher: { token: (token) => tokens.valid(token), ...serviceOptions.fetcher } },
  );
  return {
    service,
    tokens,
    secrets,
    clients,
    clientOf: (tenantId) => clients.find((c) => c.tenantId === tenantId)!,
    tokensOf: (tenantId) => tokens.grants.filter((grant) => grant.tenantId === tenantId).map((grant) => grant.token),
    fetcherTenants: () => service.fetcher.requests.filter((r) => r.route !== 'health').map((r) => tenantOfToken(r.headers.authorization)),
    async stop() {
      await service.stop();
      await Promise.all([tokens.stop(), secrets.stop()]);
    },
  };
};
