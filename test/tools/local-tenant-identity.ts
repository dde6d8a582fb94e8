import { createHmac, randomBytes } from 'node:crypto';
import { startFakeSecretsManager } from '../doubles/fake-secrets-manager.ts';
import { startFakeTokenService } from '../doubles/fake-token-service.ts';

/** The prefix of the embedded Secrets Manager's per-tenant secrets. */
export const LOCAL_TENANT_SECRET_PREFIX = 'matcher-discovery-local/fetcher-client/';
const CLIENT_PREFIX = 'local-fetcher-client-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const valueOf = (env: NodeJS.ProcessEnv, name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);

/**
 * Whether the embedded Fetcher gets a Fetcher identity per tenant: MULTI_TENANT=true with no Fetcher
 * auth chosen (the service refuses one shared identity in multi-tenant mode).
 */
export const wantsTenantIdentity = (env: NodeJS.ProcessEnv): boolean =>
  valueOf(env, 'MULTI_TENANT') === 'true' && !valueOf(env, 'FETCHER_AUTH') && valueOf(env, 'FETCHER_SHARED_IDENTITY') !== 'true';

export interface LocalTenantIdentity {
  env: Record<string, string>;
  detail: string;
  stop(): Promise<void>;
}

/**
 * A token service and a Secrets Manager on loopback that hold client credentials for every tenant
 * UUID there is, made on demand: whatever tenant a dev token names (`npm run token -- --tenant <uuid>`)
 * has a secret `${LOCAL_TENANT_SECRET_PREFIX}<uuid>` and gets tokens carrying its tenantId, so the
 * embedded Fetcher keeps its connections apart.
 */
export const startLocalTenantIdentity = async (env: NodeJS.ProcessEnv): Promise<LocalTenantIdentity> => {
  // Each run's client secrets differ; nothing outside this process ever holds them.
  const key = randomBytes(32);
  const secretOf = (tenantId: string) => createHmac('sha256', key).update(tenantId.toLowerCase()).digest('base64url');
  const tokens = await startFakeTokenService({
    clients: (clientId) => {
      const tenantId = clientId.startsWith(CLIENT_PREFIX) ? clientId.slice(CLIENT_PREFIX.length) : '';
      return UUID.test(tenantId) ? { clientSecret: secretOf(tenantId), tenantId } : undefined;
    },
  });
  const secrets = await startFakeSecretsManager((secretId) => {
    const tenantId = secretId.startsWith(LOCAL_TENANT_SECRET_PREFIX) ? secretId.slice(LOCAL_TENANT_SECRET_PREFIX.length) : '';
    if (!UUID.test(tenantId)) return undefined;
    return { SecretString: JSON.stringify({ clientId: `${CLIENT_PREFIX}${tenantId}`, clientSecret: secretOf(tenantId) }) };
  }).catch(async (error: unknown) => {
    await tokens.stop();
    throw error;
  });
  // The SDK needs a region and credentials to sign even a local request; real ones, when set, are kept.
  const signing = {
    ...(valueOf(env, 'AWS_REGION') || valueOf(env, 'AWS_DEFAULT_REGION') ? {} : { AWS_REGION: 'us-east-1' }),
    ...(valueOf(env, 'AWS_ACCESS_KEY_ID') || valueOf(env, 'AWS_PROFILE')
      ? {}
      : { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }),
  };
  return {
    env: {
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: tokens.url,
      FETCHER_TENANT_SECRET_PREFIX: LOCAL_TENANT_SECRET_PREFIX,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      ...signing,
    },
    detail: `a token per tenant from ${tokens.url}, each tenant's credentials in ${secrets.endpoint} as ${LOCAL_TENANT_SECRET_PREFIX}<tenant>`,
    stop: async () => {
      await Promise.all([tokens.stop(), secrets.stop()]);
    },
  };
};
