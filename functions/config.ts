import ipaddr from 'ipaddr.js';
import * as z from 'zod';

/**
 * Every environment variable the service reads, parsed once at cold start. A bad value fails the
 * container's init with a message naming the variable, never a request later.
 */
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional();
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// Where keys or credentials come from: https, or plain http only on this machine (the local harness).
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const keyUrl = httpUrl.refine((value) => new URL(value).protocol === 'https:' || LOOPBACK_HOST.test(new URL(value).hostname), {
  error: 'must be https (plain http only on loopback)',
});
const secretArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN');
const MIN_SECRET_LENGTH = 32;
const longSecret = z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);

const cidrList = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const cidrs = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const cidr of cidrs) {
      if (!ipaddr.isValidCIDR(cidr)) ctx.addIssue({ code: 'custom', message: `"${cidr}" is not a CIDR block` });
    }
    return cidrs;
  });

/** Exactly one of the named variables must be set. */
const exactlyOne = (env: Record<string, unknown>, names: string[], ctx: z.RefinementCtx, when = '') => {
  if (names.filter((name) => env[name]).length !== 1) {
    ctx.addIssue({ code: 'custom', path: [names[0]!], message: `set exactly one of ${names.join(' or ')}${when}` });
  }
};

const environment = z
  .object({
    FETCHER_URL: httpUrl,
    FETCHER_ALLOW_INSECURE_HTTP: flag,
    FETCHER_PRODUCT_NAME: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must match ^[A-Za-z0-9_-]{1,100}$')
      .default('matcher'),
    FETCHER_AUTH: z.enum(['none', 'bearer', 'client_credentials']).default('none'),
    FETCHER_TOKEN: optionalText,
    FETCHER_TOKEN_SECRET_ARN: secretArn.optional(),
    FETCHER_TOKEN_URL: keyUrl.optional(),
    FETCHER_CLIENT_ID: optionalText,
    FETCHER_CLIENT_SECRET: optionalText,
    FETCHER_CLIENT_SECRET_ARN: secretArn.optional(),
    FETCHER_BREAKER_THRESHOLD: positiveInt(5),
    FETCHER_BREAKER_COOLDOWN_MS: positiveInt(30_000),
    FETCHER_TIMEOUT_MS: positiveInt(10_000),
    FETCHER_MAX_RESPONSE_BYTES: positiveInt(4 * 1024 * 1024),
    JWT_JWKS_URL: keyUrl.optional(),
    JWT_SECRET: longSecret.optional(),
    JWT_SECRET_ARN: secretArn.optional(),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().nonnegative().default(30),
    JWT_JWKS_TIMEOUT_MS: positiveInt(2_000),
    REQUIRED_SCOPE: z.string().trim().min(1).default('discovery:write'),
    MULTI_TENANT: flag,
    TENANT_CLAIM: z.string().trim().min(1).default('tenant_id'),
    TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_SECRET: longSecret.optional(),
    IDEMPOTENCY_SECRET_ARN: secretArn.optional(),
    DYNAMODB_ENDPOINT: httpUrl.optional(),
    AWS_REGION: z.string().trim().min(1).default('us-east-1'),
    AWS_ACCESS_KEY_ID: optionalText,
    ALLOWED_HOST_CIDRS: cidrList,
    HOST_DNS_CHECK: flag,
    MAX_BODY_BYTES: positiveInt(65_536),
    SCHEMA_DISCOVERY_BUDGET_MS: z.coerce.number().int().nonnegative().default(3_000),
  })
  .superRefine((env, ctx) => {
    exactlyOne(env, ['JWT_JWKS_URL', 'JWT_SECRET', 'JWT_SECRET_ARN'], ctx);
    exactlyOne(env, ['IDEMPOTENCY_SECRET', 'IDEMPOTENCY_SECRET_ARN'], ctx);
    if (new URL(env.FETCHER_URL).protocol === 'http:' && !env.FETCHER_ALLOW_INSECURE_HTTP) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_URL'], message: 'must be https (or set FETCHER_ALLOW_INSECURE_HTTP=true)' });
    }
    if (env.FETCHER_AUTH === 'bearer') exactlyOne(env, ['FETCHER_TOKEN', 'FETCHER_TOKEN_SECRET_ARN'], ctx, ' when FETCHER_AUTH=bearer');
    if (env.FETCHER_AUTH === 'client_credentials') {
      if (!env.FETCHER_TOKEN_URL)
        ctx.addIssue({ code: 'custom', path: ['FETCHER_TOKEN_URL'], message: 'required when FETCHER_AUTH=client_credentials' });
      // The id may come from the environment or, with the secret, from the secret's JSON.
      if (!env.FETCHER_CLIENT_SECRET_ARN && !env.FETCHER_CLIENT_ID) {
        ctx.addIssue({
          code: 'custom',
          path: ['FETCHER_CLIENT_ID'],
          message: 'required when FETCHER_AUTH=client_credentials without FETCHER_CLIENT_SECRET_ARN',
        });
      }
      exactlyOne(env, ['FETCHER_CLIENT_SECRET', 'FETCHER_CLIENT_SECRET_ARN'], ctx, ' when FETCHER_AUTH=client_credentials');
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;
type Parsed = z.infer<typeof environment>;

const parseEnvironment = (env: Environment): Parsed => {
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
export type SecretVariable = 'JWT_SECRET_ARN' | 'FETCHER_TOKEN_SECRET_ARN' | 'FETCHER_CLIENT_SECRET_ARN' | 'IDEMPOTENCY_SECRET_ARN';
export type SecretValues = Partial<Record<SecretVariable, string>>;
export type SecretReader = (arn: string) => Promise<string>;

/** Checks an environment without reading any secret: the CDK stack runs it on its function environment. */
export const checkEnvironment = (env: Environment): void => {
  parseEnvironment(env);
};

const invalid = (name: string, problem: string) => new ConfigError(`Invalid configuration: ${name}: ${problem}`);

// FETCHER_CLIENT_SECRET_ARN holds {"clientId": "...", "clientSecret": "..."} (clientId optional when FETCHER_CLIENT_ID is set).
const clientSecretJson = z.object({ clientId: z.string().min(1).optional(), clientSecret: z.string().min(1) });

// JSON.parse's own message quotes the text it choked on, which here is a secret.
const parseJsonQuietly = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const fetcherAuthOf = (e: Parsed, secretOf: (name: SecretVariable) => string): FetcherAuthConfig => {
  switch (e.FETCHER_AUTH) {
    case 'bearer':
      return { mode: 'bearer', token: e.FETCHER_TOKEN ?? secretOf('FETCHER_TOKEN_SECRET_ARN') };
    case 'client_credentials': {
      let fromSecret: z.infer<typeof clientSecretJson> | undefined;
      if (e.FETCHER_CLIENT_SECRET_ARN) {
        const parsed = clientSecretJson.safeParse(parseJsonQuietly(secretOf('FETCHER_CLIENT_SECRET_ARN')));
        if (!parsed.success) throw invalid('FETCHER_CLIENT_SECRET_ARN', 'the secret must be JSON {"clientId", "clientSecret"}');
        fromSecret = parsed.data;
      }
      const clientId = e.FETCHER_CLIENT_ID ?? fromSecret?.clientId;
      if (!clientId) throw invalid('FETCHER_CLIENT_ID', 'required (or clientId in the FETCHER_CLIENT_SECRET_ARN secret)');
      return {
        mode: 'client_credentials',
        tokenUrl: e.FETCHER_TOKEN_URL!,
        clientId,
        clientSecret: e.FETCHER_CLIENT_SECRET ?? fromSecret!.clientSecret,
        timeoutMs: e.FETCHER_TIMEOUT_MS,
      };
    }
    default:
      return { mode: 'none' };
  }
};

/**
 * The configuration, synchronously. Secrets named by ARN must already be in `secrets` (resolveConfig
 * reads them); tests and local runs pass JWT_SECRET / FETCHER_TOKEN / IDEMPOTENCY_SECRET directly.
 */
export const loadConfig = (env: Environment = process.env, secrets: SecretValues = {}): Config => {
  const e = parseEnvironment(env);
  const secretOf = (name: SecretVariable): string => {
    const value = secrets[name];
    if (value === undefined) throw invalid(name, 'the secret has not been read');
    return value;
  };
  const long = (name: SecretVariable, value: string) => {
    if (value.length < MIN_SECRET_LENGTH) throw invalid(name, `the secret must be at least ${MIN_SECRET_LENGTH} characters`);
    return value;
  };
  const jwtSecret = e.JWT_JWKS_URL ? undefined : (e.JWT_SECRET ?? long('JWT_SECRET_ARN', secretOf('JWT_SECRET_ARN')));
  return {
    fetcher: {
      baseUrl: e.FETCHER_URL.replace(/\/+$/, ''),
      productName: e.FETCHER_PRODUCT_NAME,
      auth: fetcherAuthOf(e, secretOf),
      timeoutMs: e.FETCHER_TIMEOUT_MS,
      maxResponseBytes: e.FETCHER_MAX_RESPONSE_BYTES,
      breaker: { threshold: e.FETCHER_BREAKER_THRESHOLD, cooldownMs: e.FETCHER_BREAKER_COOLDOWN_MS },
    },
    auth: {
      keys: e.JWT_JWKS_URL
        ? { kind: 'jwks', url: new URL(e.JWT_JWKS_URL), timeoutMs: e.JWT_JWKS_TIMEOUT_MS }
        : { kind: 'secret', secret: jwtSecret! },
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_S,
      requiredScope: e.REQUIRED_SCOPE,
      multiTenant: e.MULTI_TENANT,
      tenantClaim: e.TENANT_CLAIM,
    },
    tables: { cache: e.TABLE_NAME, idempotency: e.IDEMPOTENCY_TABLE_NAME },
    idempotencySecret: e.IDEMPOTENCY_SECRET ?? long('IDEMPOTENCY_SECRET_ARN', secretOf('IDEMPOTENCY_SECRET_ARN')),
    dynamodb: { region: e.AWS_REGION, endpoint: e.DYNAMODB_ENDPOINT, localCredentials: !!e.DYNAMODB_ENDPOINT && !e.AWS_ACCESS_KEY_ID },
    hostPolicy: { allowedCidrs: e.ALLOWED_HOST_CIDRS, dnsCheck: e.HOST_DNS_CHECK },
    maxBodyBytes: e.MAX_BODY_BYTES,
    schemaDiscoveryBudgetMs: e.SCHEMA_DISCOVERY_BUDGET_MS,
  };
};

/** Every secret value in the configuration, so the log scrubber can withhold them for good. */
export const secretsOf = (config: Config): string[] => [
  ...(config.fetcher.auth.mode === 'bearer' ? [config.fetcher.auth.token] : []),
  ...(config.fetcher.auth.mode === 'client_credentials' ? [config.fetcher.auth.clientSecret] : []),
  ...(config.auth.keys.kind === 'secret' ? [config.auth.keys.secret] : []),
  config.idempotencySecret,
];

/**
 * Cold start: validates the environment first (a bad variable fails before any network call), reads
 * each secret it names once, then builds the configuration. The values live only in memory.
 */
export const resolveConfig = async (readSecret: SecretReader, env: Environment = process.env): Promise<Config> => {
  const e = parseEnvironment(env);
  const wanted: SecretVariable[] = ['JWT_SECRET_ARN', 'IDEMPOTENCY_SECRET_ARN'];
  if (e.FETCHER_AUTH === 'bearer') wanted.push('FETCHER_TOKEN_SECRET_ARN');
  if (e.FETCHER_AUTH === 'client_credentials') wanted.push('FETCHER_CLIENT_SECRET_ARN');
  const secrets: SecretValues = {};
  await Promise.all(
    wanted
      .filter((name) => e[name])
      .map(async (name) => {
        try {
          secrets[name] = await readSecret(e[name]!);
        } catch (error) {
          // The error's name only: an SDK message may quote more than we want in a log.
          throw invalid(name, `the secret could not be read (${(error as Error)?.name ?? 'error'})`);
        }
      }),
  );
  return loadConfig(env, secrets);
};
