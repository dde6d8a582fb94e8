import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/config/environment.ts';
import { loadConfig } from '../../../functions/config/service-config.ts';

const base = {
  FETCHER_URL: 'https://fetcher.example.com/',
  JWT_JWKS_URL: 'https://issuer.example.com/.well-known/jwks.json',
  TABLE_NAME: 'cache',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync',
  CURSOR_SECRET: 'c'.repeat(32),
  IDEMPOTENCY_SECRET: 'i'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.fetcher).toEqual({
      baseUrl: 'https://fetcher.example.com',
      productName: 'matcher',
      auth: { mode: 'none' },
      timeoutMs: 10_000,
      maxResponseBytes: 4_194_304,
      breaker: { threshold: 5, cooldownMs: 30_000 },
      multiTenant: false,
    });
    expect(config.auth).toMatchObject({
      issuer: undefined,
      audience: undefined,
      clockToleranceSeconds: 30,
      requiredScope: 'discovery:write',
      multiTenant: false,
      tenantClaim: 'tenant_id',
    });
    expect(config.request.hostPolicy).toEqual({ allowedCidrs: [], allowedSuffixes: [], dnsCheck: false });
    expect(config.request.maxBodyBytes).toBe(65_536);
    expect(config.request.schemaDiscoveryBudgetMs).toBe(3_000);
    expect(config.cache.client).toEqual({ region: 'us-east-1', endpoint: undefined, localCredentials: false });
  });

  it.each([
    [{ FETCHER_URL: undefined }, 'FETCHER_URL'],
    [{ FETCHER_URL: 'http://fetcher.example.com' }, 'FETCHER_URL: must be https'],
    [{ FETCHER_URL: 'ftp://fetcher.example.com' }, 'FETCHER_URL: must be an http(s) URL'],
    [{ JWT_JWKS_URL: undefined }, 'set exactly one of JWT_JWKS_URL or JWT_SECRET'],
    [{ JWT_SECRET: 'x'.repeat(40) }, 'set exactly one of JWT_JWKS_URL or JWT_SECRET'],
    [{ FETCHER_AUTH: 'bearer' }, 'FETCHER_TOKEN: set exactly one of FETCHER_TOKEN or FETCHER_TOKEN_SECRET_ARN when FETCHER_AUTH=bearer'],
    [{ FETCHER_AUTH: 'client_credentials' }, 'FETCHER_TOKEN_URL: required when FETCHER_AUTH=client_credentials'],
    [
      { FETCHER_AUTH: 'client_credentials', FETCHER_TOKEN_URL: 'https://auth.example.com/token', FETCHER_CLIENT_ID: 'id' },
      'FETCHER_CLIENT_SECRET: set exactly one of FETCHER_CLIENT_SECRET or FETCHER_CLIENT_SECRET_ARN',
    ],
    [{ IDEMPOTENCY_SECRET: undefined }, 'IDEMPOTENCY_SECRET: set exactly one of IDEMPOTENCY_SECRET or IDEMPOTENCY_SECRET_ARN'],
    [{ FETCHER_BREAKER_THRESHOLD: '0' }, 'FETCHER_BREAKER_THRESHOLD'],
    [{ FETCHER_TIMEOUT_MS: '-5' }, 'FETCHER_TIMEOUT_MS'],
    [{ MAX_BODY_BYTES: 'lots' }, 'MAX_BODY_BYTES'],
    [{ ALLOWED_HOST_CIDRS: '10.0.0.0/8, 300.1.0.0/16' }, 'ALLOWED_HOST_CIDRS: "300.1.0.0/16" is not a CIDR block'],
    [{ MULTI_TENANT: 'yes' }, 'MULTI_TENANT'],
    [{ JWT_JWKS_URL: 'http://issuer.example.com/jwks.json' }, 'JWT_JWKS_URL: must be https (plain http only on loopback)'],
    [
      {
        FETCHER_AUTH: 'client_credentials',
        FETCHER_TOKEN_URL: 'http://auth.example.com/token',
        FETCHER_CLIENT_ID: 'i',
        FETCHER_CLIENT_SECRET: 's',
      },
      'FETCHER_TOKEN_URL: must be https',
    ],
    [{ TABLE_NAME: undefined }, 'TABLE_NAME'],
  ])('fails with a message naming the variable for %j', (override, message) => {
    expect(() => loadConfig({ ...base, ...override })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...override })).toThrow(message);
  });

  it('treats a variable set to an empty string as unset', () => {
    const config = loadConfig({ ...base, FETCHER_TIMEOUT_MS: '', JWT_ISSUER: '  ', ALLOWED_HOST_CIDRS: '' });
    expect(config.fetcher.timeoutMs).toBe(10_000);
    expect(config.auth.issuer).toBeUndefined();
    expect(config.request.hostPolicy.allowedCidrs).toEqual([]);
  });

  it('never puts a secret value in its error message', () => {
    const secret = 'too-short-secret';
    let message = '';
    try {
      loadConfig({ ...base, JWT_JWKS_URL: undefined, JWT_SECRET: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('JWT_SECRET: must be at least 32 characters');
    expect(message).not.toContain(secret);
  });

  it('reads the HMAC, bearer, tenancy and host policy settings', () => {
    const config = loadConfig({
      ...base,
      JWT_JWKS_URL: undefined,
      JWT_SECRET: 's'.repeat(32),
      FETCHER_URL: 'http://127.0.0.1:4006',
      FETCHER_ALLOW_INSECURE_HTTP: 'true',
      FETCHER_AUTH: 'bearer',
      FETCHER_TOKEN: 'fetcher-token',
      MULTI_TENANT: 'true',
      // A single bearer token is one Fetcher identity: only with a Fetcher that is single-tenant on purpose.
      FETCHER_SHARED_IDENTITY: 'true',
      TENANT_CLAIM: 'tenantId',
      ALLOWED_HOST_CIDRS: '10.0.0.0/8,fd00::/8',
      HOST_DNS_CHECK: 'true',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(config.auth.keys).toEqual({ kind: 'secret', secret: 's'.repeat(32) });
    expect(config.fetcher.auth).toEqual({ mode: 'bearer', token: 'fetcher-token' });
    expect(config.auth).toMatchObject({ multiTenant: true, tenantClaim: 'tenantId' });
    expect(config.request.hostPolicy).toEqual({ allowedCidrs: ['10.0.0.0/8', 'fd00::/8'], allowedSuffixes: [], dnsCheck: true });
    expect(config.cache.client).toMatchObject({ endpoint: 'http://127.0.0.1:8000', localCredentials: true });
  });

  it.each([
    [{ MULTI_TENANT: 'true' }, 'MULTI_TENANT: MULTI_TENANT=true with FETCHER_AUTH=none sends every tenant to Fetcher as one identity'],
    [{ MULTI_TENANT: 'true', FETCHER_AUTH: 'bearer', FETCHER_TOKEN: 't' }, 'with FETCHER_AUTH=bearer sends every tenant'],
    [
      {
        MULTI_TENANT: 'true',
        FETCHER_AUTH: 'client_credentials',
        FETCHER_TOKEN_URL: 'https://auth.example.com/token',
        FETCHER_CLIENT_ID: 'i',
        FETCHER_CLIENT_SECRET: 's',
      },
      'with FETCHER_AUTH=client_credentials and no FETCHER_TENANT_SECRET_PREFIX sends every tenant',
    ],
    [{ FETCHER_TENANT_SECRET_PREFIX: 'matcher/fetcher/' }, 'FETCHER_TENANT_SECRET_PREFIX: needs FETCHER_AUTH=client_credentials'],
  ])('refuses to send several tenants through one Fetcher identity: %j', (override, message) => {
    expect(() => loadConfig({ ...base, ...override })).toThrow(message);
  });

  it('reads per-tenant client credentials by secret name prefix, and keeps tenants apart in the breaker', () => {
    const config = loadConfig({
      ...base,
      MULTI_TENANT: 'true',
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: 'https://auth.example.com/token',
      FETCHER_TENANT_SECRET_PREFIX: 'matcher/fetcher-client/',
    });
    expect(config.fetcher.auth).toEqual({
      mode: 'tenant_client_credentials',
      tokenUrl: 'https://auth.example.com/token',
      timeoutMs: 10_000,
      secretPrefix: 'matcher/fetcher-client/',
      ttlMs: 300_000,
    });
    expect(config.fetcher.multiTenant).toBe(true);
  });
});
