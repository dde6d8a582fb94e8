import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import ipaddr from 'ipaddr.js';
import * as z from 'zod';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/observability/service-name.ts';

/**
 * What a deployment of the service is configured with: the `cdk.json` context keys of infra/app.ts,
 * or the props of the DiscoveryService construct. Validated once, with messages naming the key.
 */

// A complete ARN (with the 6-character suffix Secrets Manager adds): IAM matches ARNs exactly, so a
// partial ARN would deploy and then fail with AccessDenied at the first cold start.
const secretArn = z
  .string()
  .trim()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
    'must be the complete ARN of a Secrets Manager secret (ending in its 6-character suffix)',
  );
const kmsKeyArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'must be the ARN of a KMS key');
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });
const text = z.string().trim().min(1);

// Context given on the command line (-c key=value) arrives as a string: read JSON, numbers and
// booleans out of it, so `-c multiTenant=true` and `-c 'vpc={"vpcId":...}'` work as in cdk.json.
const fromString = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema);

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string' && !value.trim().startsWith('[')
        ? value
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : value,
    fromString(z.array(item)),
  );

const cidr = z
  .string()
  .trim()
  .refine((value) => ipaddr.isValidCIDR(value), { error: 'must be a CIDR block' });
const origin = z
  .string()
  .trim()
  .regex(/^(\*|https?:\/\/[^/\s]+)$/, 'must be an origin such as https://app.example.com (no path), or *');
const email = z.email({ error: 'must be an e-mail address' });
const topicArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be the ARN of an SNS topic');
const awsId = (prefix: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `must be an id like ${prefix}-0123456789abcdef0`);
const RETENTION_DAYS = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

export const discoverySettingsSchema = z
  .object({
    /** Fetcher's base URL (https). */
    fetcherUrl: httpsUrl,
    /**
     * How the functions authenticate to Fetcher: a bearer token kept in Secrets Manager, or OAuth
     * client credentials (a secret holding {"clientId", "clientSecret"}) for a token endpoint.
     * Absent means Fetcher is called without credentials.
     */
    fetcherAuth: fromString(
      z.union([
        z.object({ tokenSecretArn: secretArn }).strict(),
        z.object({ tokenUrl: httpsUrl, clientSecretArn: secretArn, clientId: text.optional() }).strict(),
      ]),
    ).optional(),
    /**
     * The secret idempotency keys and body fingerprints are HMACed under. Absent: the stack generates
     * one. Rotating it makes replays of the last 24 h fail as a different body (MTCH-0019).
     */
    idempotencySecretArn: secretArn.optional(),
    /** The secret list cursors are HMACed under. Absent: the stack generates one. Rotating it voids cursors in flight (422). */
    cursorSecretArn: secretArn.optional(),
    jwt: fromString(
      z
        .object({
          jwksUrl: httpsUrl.optional(),
          secretArn: secretArn.optional(),
          issuer: text.optional(),
          audience: text.optional(),
        })
        .strict()
        .refine((jwt) => !jwt.jwksUrl !== !jwt.secretArn, { error: 'set exactly one of jwt.jwksUrl or jwt.secretArn' }),
    ),
    /** A customer-managed key that encrypts the secrets above, if they do not use aws/secretsmanager. */
    secretsKmsKeyArn: kmsKeyArn.optional(),
    multiTenant: fromString(z.boolean()).default(false),
    allowedHostCidrs: list(cidr).default([]),
    /** Fetcher is often private: place the functions in these subnets of this VPC. */
    vpc: fromString(
      z
        .object({
          vpcId: awsId('vpc'),
          subnetIds: z.array(awsId('subnet')).min(1),
          /** Without them, the stack creates a group that allows all outbound traffic and no inbound. */
          securityGroupIds: z.array(awsId('sg')).min(1).optional(),
        })
        .strict(),
    ).optional(),
    alarms: fromString(
      z
        .object({
          topicArn: topicArn.optional(),
          email: email.optional(),
          latencyP99Ms: z.number().int().positive().default(5_000),
          serverErrorRatePercent: z.number().positive().max(100).default(5),
          fetcherErrors: z.number().int().positive().default(5),
        })
        .strict()
        .refine((alarms) => !(alarms.topicArn && alarms.email), { error: 'set alarms.topicArn or alarms.email, not both' }),
    ).prefault({}),
    logRetentionDays: fromString(
      z.number().refine((days) => RETENTION_DAYS.includes(days), { error: `must be one of ${RETENTION_DAYS.join(', ')}` }),
    ).default(90),
    /** retain: tables and logs outlive the stack, tables have deletion protection. destroy: for throwaway stacks. */
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    reservedConcurrency: fromString(z.number().int().positive()).optional(),
    memorySize: fromString(z.number().int().min(128).max(10_240)).default(512),
    /** Browser origins allowed by CORS; none means CORS is off (server-to-server callers need none). */
    corsOrigins: list(origin).default([]),
    /** Stage throttling: steady requests per second and burst, for all callers together. */
    throttle: fromString(
      z.object({ rateLimit: z.number().positive().default(50), burstLimit: z.number().int().positive().default(100) }).strict(),
    ).prefault({}),
    /** X-Ray active tracing and the Powertools tracer's subsegments (Fetcher, DynamoDB). */
    tracing: fromString(z.boolean()).default(true),
    metricsNamespace: text.default(DEFAULT_METRICS_NAMESPACE),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** The scheduled sync: how often it runs, how many tenants sync at once, and how long one may take. */
    sync: fromString(
      z
        .object({
          intervalMinutes: z.number().int().min(1).max(1440).default(5),
          // SQS event sources take 2 at the least.
          maxConcurrency: z.number().int().min(2).max(1000).default(2),
          timeoutSeconds: z.number().int().min(30).max(900).default(120),
        })
        .strict(),
    ).prefault({}),
    /** Serve the OpenAPI document (openapi/matcher-discovery.json) at GET /openapi.json, without authentication. */
    publishOpenApi: fromString(z.boolean()).default(false),
    /** Further function variables (functions/config/service-config.ts), e.g. FETCHER_TIMEOUT_MS or HOST_DNS_CHECK. */
    functionEnvironment: fromString(
      z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case variable name'), z.string()),
    ).default({}),
  })
  .strict();

export type DiscoverySettings = z.input<typeof discoverySettingsSchema>;
export type ResolvedDiscoverySettings = z.output<typeof discoverySettingsSchema>;

/** The context keys infra/app.ts reads (see README, Deploy). */
export const CONTEXT_KEYS = Object.keys(discoverySettingsSchema.shape) as (keyof ResolvedDiscoverySettings)[];

export class DiscoverySettingsError extends Error {
  override name = 'DiscoverySettingsError';
}

/** Validates settings; the message names every bad key at once, and never repeats a value. */
export const resolveDiscoverySettings = (settings: unknown): ResolvedDiscoverySettings => {
  const parsed = discoverySettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: unknown setting`);
      return [`${path || 'settings'}: ${issue.message}`];
    });
    throw new DiscoverySettingsError(`Invalid matcher-discovery settings: ${problems.join('; ')}`);
  }
  return parsed.data;
};
