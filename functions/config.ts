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
const secretArn = z.string().trim().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN');
const MIN_HMAC_SECRET_LENGTH = 32;

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
    FETCHER_AUTH: z.enum(['none', 'bearer']).default('none'),
    FETCHER_TOKEN: optionalText,
    FETCHER_TOKEN_SECRET_ARN: secretArn.optional(),
    FETCHER_TIMEOUT_MS: positiveInt(10_000),
    FETCHER_MAX_RESPONSE_BYTES: positiveInt(4 * 1024 * 1024),
    JWT_JWKS_URL: httpUrl.optional(),
    JWT_SECRET: z.string().min(MIN_HMAC_SECRET_LENGTH, `must be at least ${MIN_HMAC_SECRET_LENGTH} characters`).optional(),
    JWT_SECRET_ARN: secretArn.optional(),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().nonnegative().default(30),
    REQUIRED_SCOPE: z.string().trim().min(1).default('discovery:write'),
    MULTI_TENANT: flag,
    TENANT_CLAIM: z.string().trim().min(1).default('tenant_id'),
    TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_TABLE_NAME: z.string().trim().min(3),
    DYNAMODB_ENDPOINT: httpUrl.optional(),
    AWS_REGION: z.string().trim().min(1).default('us-east-1'),
    AWS_ACCESS_KEY_ID: optionalText,
    ALLOWED_HOST_CIDRS: cidrList,
    HOST_DNS_CHECK: flag,
    MAX_BODY_BYTES: positiveInt(65_536),
    SCHEMA_DISCOVERY_BUDGET_MS: z.coerce.number().int().nonnegative().default(3_000),
  })
  .superRefine((env, ctx) => {
    if ([env.JWT_JWKS_URL, env.JWT_SECRET, env.JWT_SECRET_ARN].filter(Boolean).length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'set exactly one of JWT_JWKS_URL or JWT_SECRET or JWT_SECRET_ARN' });
    }
    if (new URL(env.FETCHER_URL).protocol === 'http:' && !env.FETCHER_ALLOW_INSECURE_HTTP) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_URL'], message: 'must be https (or set FETCHER_ALLOW_INSECURE_HTTP=true)' });
    }
    if (env.FETCHER_AUTH === 'bearer' && !env.FETCHER_TOKEN === !env.FETCHER_TOKEN_SECRET_ARN) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_TOKEN'], message: 'required when FETCHER_AUTH=bearer (set exactly one of FETCHER_TOKEN or FETCHER_TOKEN_SECRET_ARN)' });
    }
  });

export type FetcherAuthConfig = { mode: 'none' } | { mode: 'bearer'; token: string };

export interface FetcherConfig {
  baseUrl: string;
  productName: string;
  auth: FetcherAuthConfig;
  timeoutMs: number;
  maxResponseBytes: number;
}

export type JwtKeySource = { kind: 'jwks'; url: URL } | { kind: 'secret'; secret: string };

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
  /** localCredentials: a local endpoint with no AWS credentials around (DynamoDB Local accepts any). */
  dynamodb: { region: string; endpoint: string | undefined; localCredentials: boolean };
  hostPolicy: { allowedCidrs: string[]; dnsCheck: boolean };
  maxBodyBytes: number;
  schemaDiscoveryBudgetMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;

const parseEnvironment = (env: Environment) => {
  // A variable set to an empty string counts as unset, as it does for most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
};

/** The variables that name a Secrets Manager secret; resolveConfig reads them, by ARN, at cold start. */
export type SecretVariable = 'JWT_SECRET_ARN' | 'FETCHER_TOKEN_SECRET_ARN';
export type SecretValues = Partial<Record<SecretVariable, string>>;
export type SecretReader = (arn: string) => Promise<string>;

/** Checks an environment without reading any secret: the CDK stack runs it on its function environment. */
export const checkEnvironment = (env: Environment): void => {
  parseEnvironment(env);
};

/**
 * The configuration, synchronously. Secrets named by ARN must already be in `secrets` (resolveConfig
 * reads them); tests and local runs pass JWT_SECRET / FETCHER_TOKEN directly instead.
 */
export const loadConfig = (env: Environment = process.env, secrets: SecretValues = {}): Config => {
  const e = parseEnvironment(env);
  const secretOf = (name: SecretVariable): string => {
    const value = secrets[name];
    if (value === undefined) throw new ConfigError(`Invalid configuration: ${name}: the secret has not been read`);
    return value;
  };
  const jwtSecret = e.JWT_JWKS_URL ? undefined : (e.JWT_SECRET ?? secretOf('JWT_SECRET_ARN'));
  if (jwtSecret !== undefined && jwtSecret.length < MIN_HMAC_SECRET_LENGTH) {
    throw new ConfigError(`Invalid configuration: JWT_SECRET_ARN: the secret must be at least ${MIN_HMAC_SECRET_LENGTH} characters`);
  }
  return {
    fetcher: {
      baseUrl: e.FETCHER_URL.replace(/\/+$/, ''),
      productName: e.FETCHER_PRODUCT_NAME,
      auth: e.FETCHER_AUTH === 'bearer' ? { mode: 'bearer', token: e.FETCHER_TOKEN ?? secretOf('FETCHER_TOKEN_SECRET_ARN') } : { mode: 'none' },
      timeoutMs: e.FETCHER_TIMEOUT_MS,
      maxResponseBytes: e.FETCHER_MAX_RESPONSE_BYTES,
    },
    auth: {
      keys: e.JWT_JWKS_URL ? { kind: 'jwks', url: new URL(e.JWT_JWKS_URL) } : { kind: 'secret', secret: jwtSecret! },
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_S,
      requiredScope: e.REQUIRED_SCOPE,
      multiTenant: e.MULTI_TENANT,
      tenantClaim: e.TENANT_CLAIM,
    },
    tables: { cache: e.TABLE_NAME, idempotency: e.IDEMPOTENCY_TABLE_NAME },
    dynamodb: { region: e.AWS_REGION, endpoint: e.DYNAMODB_ENDPOINT, localCredentials: !!e.DYNAMODB_ENDPOINT && !e.AWS_ACCESS_KEY_ID },
    hostPolicy: { allowedCidrs: e.ALLOWED_HOST_CIDRS, dnsCheck: e.HOST_DNS_CHECK },
    maxBodyBytes: e.MAX_BODY_BYTES,
    schemaDiscoveryBudgetMs: e.SCHEMA_DISCOVERY_BUDGET_MS,
  };
};

/**
 * Cold start: validates the environment first (a bad variable fails before any network call), reads
 * each secret it names once, then builds the configuration. The values live only in memory.
 */
export const resolveConfig = async (readSecret: SecretReader, env: Environment = process.env): Promise<Config> => {
  const e = parseEnvironment(env);
  const named: SecretVariable[] = [];
  if (e.JWT_SECRET_ARN) named.push('JWT_SECRET_ARN');
  if (e.FETCHER_TOKEN_SECRET_ARN && e.FETCHER_AUTH === 'bearer') named.push('FETCHER_TOKEN_SECRET_ARN');
  const secrets: SecretValues = {};
  await Promise.all(
    named.map(async (name) => {
      try {
        secrets[name] = await readSecret(e[name]!);
      } catch (error) {
        // The error's name only: an SDK message may quote more than we want in a log.
        throw new ConfigError(`Invalid configuration: ${name}: the secret could not be read (${(error as Error)?.name ?? 'error'})`, { cause: error });
      }
    }),
  );
  return loadConfig(env, secrets);
};
