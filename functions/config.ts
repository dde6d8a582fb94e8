import ipaddr from 'ipaddr.js';
import * as z from 'zod';

/**
 * Every environment variable the service reads, parsed once at cold start. A bad value fails the
 * container's init with a message naming the variable, never a request later.
 */
const flag = z.enum(['true', 'false']).default('false').transform((value) => value === 'true');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const cidrList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const cidrs = value.split(',').map((item) => item.trim()).filter(Boolean);
    for (const cidr of cidrs) {
      if (!ipaddr.isValidCIDR(cidr)) ctx.addIssue({ code: 'custom', message: `"${cidr}" is not a CIDR block` });
    }
    return cidrs;
  });

const environment = z
  .object({
    FETCHER_URL: httpUrl,
    FETCHER_ALLOW_INSECURE_HTTP: flag,
    FETCHER_PRODUCT_NAME: z.string().trim().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must match ^[A-Za-z0-9_-]{1,100}$').default('matcher'),
    FETCHER_AUTH: z.enum(['none', 'bearer', 'client_credentials']).default('none'),
    FETCHER_TOKEN: optionalText,
    FETCHER_TOKEN_URL: httpUrl.optional(),
    FETCHER_CLIENT_ID: optionalText,
    FETCHER_CLIENT_SECRET: optionalText,
    FETCHER_BREAKER_THRESHOLD: positiveInt(5),
    FETCHER_BREAKER_COOLDOWN_MS: positiveInt(30_000),
    FETCHER_TIMEOUT_MS: positiveInt(10_000),
    FETCHER_MAX_RESPONSE_BYTES: positiveInt(4 * 1024 * 1024),
    JWT_JWKS_URL: httpUrl.optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().nonnegative().default(30),
    JWT_JWKS_TIMEOUT_MS: positiveInt(2_000),
    REQUIRED_SCOPE: z.string().trim().min(1).default('discovery:write'),
    MULTI_TENANT: flag,
    TENANT_CLAIM: z.string().trim().min(1).default('tenant_id'),
    TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_SECRET: z.string().min(32, 'must be at least 32 characters'),
    DYNAMODB_ENDPOINT: httpUrl.optional(),
    AWS_REGION: z.string().trim().min(1).default('us-east-1'),
    AWS_ACCESS_KEY_ID: optionalText,
    ALLOWED_HOST_CIDRS: cidrList,
    HOST_DNS_CHECK: flag,
    MAX_BODY_BYTES: positiveInt(65_536),
    SCHEMA_DISCOVERY_BUDGET_MS: z.coerce.number().int().nonnegative().default(3_000),
  })
  .superRefine((env, ctx) => {
    if (!env.JWT_JWKS_URL === !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'set exactly one of JWT_JWKS_URL or JWT_SECRET' });
    }
    if (new URL(env.FETCHER_URL).protocol === 'http:' && !env.FETCHER_ALLOW_INSECURE_HTTP) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_URL'], message: 'must be https (or set FETCHER_ALLOW_INSECURE_HTTP=true)' });
    }
    if (env.FETCHER_AUTH === 'bearer' && !env.FETCHER_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_TOKEN'], message: 'required when FETCHER_AUTH=bearer' });
    }
    if (env.FETCHER_AUTH === 'client_credentials') {
      for (const name of ['FETCHER_TOKEN_URL', 'FETCHER_CLIENT_ID', 'FETCHER_CLIENT_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when FETCHER_AUTH=client_credentials' });
      }
    }
  });

export type FetcherAuthConfig =
  | { mode: 'none' }
  | { mode: 'bearer'; token: string }
  | { mode: 'client_credentials'; tokenUrl: string; clientId: string; clientSecret: string; timeoutMs: number };

export interface FetcherConfig {
  baseUrl: string;
  productName: string;
  auth: FetcherAuthConfig;
  timeoutMs: number;
  maxResponseBytes: number;
  breaker: { threshold: number; cooldownMs: number };
}

export type JwtKeySource = { kind: 'jwks'; url: URL; timeoutMs: number } | { kind: 'secret'; secret: string };

export interface AuthConfig {
  keys: JwtKeySource;
  issuer: string | undefined;
  audience: string | undefined;
  clockToleranceSeconds: number;
  requiredScope: string;
  multiTenant: boolean;
  tenantClaim: string;
}

export interface Config {
  fetcher: FetcherConfig;
  auth: AuthConfig;
  tables: { cache: string; idempotency: string };
  /** Keys and fingerprints in the idempotency table are HMACs under this secret. */
  idempotencySecret: string;
  /** localCredentials: a local endpoint with no AWS credentials around (DynamoDB Local accepts any). */
  dynamodb: { region: string; endpoint: string | undefined; localCredentials: boolean };
  hostPolicy: { allowedCidrs: string[]; dnsCheck: boolean };
  maxBodyBytes: number;
  schemaDiscoveryBudgetMs: number;
}

const fetcherAuthOf = (e: z.infer<typeof environment>): FetcherAuthConfig => {
  switch (e.FETCHER_AUTH) {
    case 'bearer':
      return { mode: 'bearer', token: e.FETCHER_TOKEN! };
    case 'client_credentials':
      return { mode: 'client_credentials', tokenUrl: e.FETCHER_TOKEN_URL!, clientId: e.FETCHER_CLIENT_ID!, clientSecret: e.FETCHER_CLIENT_SECRET!, timeoutMs: e.FETCHER_TIMEOUT_MS };
    default:
      return { mode: 'none' };
  }
};

/** Every secret value in the configuration, so the log scrubber can withhold them for good. */
export const secretsOf = (config: Config): string[] => [
  ...(config.fetcher.auth.mode === 'bearer' ? [config.fetcher.auth.token] : []),
  ...(config.fetcher.auth.mode === 'client_credentials' ? [config.fetcher.auth.clientSecret] : []),
  ...(config.auth.keys.kind === 'secret' ? [config.auth.keys.secret] : []),
  config.idempotencySecret,
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  // A variable set to an empty string counts as unset, as it does for most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    fetcher: {
      baseUrl: e.FETCHER_URL.replace(/\/+$/, ''),
      productName: e.FETCHER_PRODUCT_NAME,
      auth: fetcherAuthOf(e),
      timeoutMs: e.FETCHER_TIMEOUT_MS,
      maxResponseBytes: e.FETCHER_MAX_RESPONSE_BYTES,
      breaker: { threshold: e.FETCHER_BREAKER_THRESHOLD, cooldownMs: e.FETCHER_BREAKER_COOLDOWN_MS },
    },
    auth: {
      keys: e.JWT_JWKS_URL ? { kind: 'jwks', url: new URL(e.JWT_JWKS_URL), timeoutMs: e.JWT_JWKS_TIMEOUT_MS } : { kind: 'secret', secret: e.JWT_SECRET! },
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_S,
      requiredScope: e.REQUIRED_SCOPE,
      multiTenant: e.MULTI_TENANT,
      tenantClaim: e.TENANT_CLAIM,
    },
    tables: { cache: e.TABLE_NAME, idempotency: e.IDEMPOTENCY_TABLE_NAME },
    idempotencySecret: e.IDEMPOTENCY_SECRET,
    dynamodb: { region: e.AWS_REGION, endpoint: e.DYNAMODB_ENDPOINT, localCredentials: !!e.DYNAMODB_ENDPOINT && !e.AWS_ACCESS_KEY_ID },
    hostPolicy: { allowedCidrs: e.ALLOWED_HOST_CIDRS, dnsCheck: e.HOST_DNS_CHECK },
    maxBodyBytes: e.MAX_BODY_BYTES,
    schemaDiscoveryBudgetMs: e.SCHEMA_DISCOVERY_BUDGET_MS,
  };
};
