import * as z from 'zod';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/observability/service-name.ts';
import { reservedConcurrencyProblems } from './concurrency-limits.ts';
import { fetcherIdentityProblems } from './fetcher-identity.ts';
import {
  awsId,
  cidr,
  email,
  fromString,
  httpsUrl,
  kmsKeyArn,
  list,
  origin,
  RETENTION_DAYS,
  secretArn,
  secretNamePrefix,
  text,
  topicArn,
} from './setting-types.ts';

/**
 * What a deployment of the service is configured with: the `cdk.json` context keys of infra/app.ts,
 * or the props of the DiscoveryService construct. Validated once, with messages naming the key.
 */

export const discoverySettingsSchema = z
  .object({
    /** Fetcher's base URL (https). */
    fetcherUrl: httpsUrl,
    /**
     * How the functions authenticate to Fetcher: a bearer token kept in Secrets Manager, OAuth
     * client credentials (a secret holding {"clientId", "clientSecret"}) for a token endpoint, or
     * such credentials per tenant, each in the secret named tenantSecretPrefix + tenant id.
     * Absent means Fetcher is called without credentials.
     */
    fetcherAuth: fromString(
      z.union(
        [
          z.object({ tokenSecretArn: secretArn }).strict(),
          z.object({ tokenUrl: httpsUrl, clientSecretArn: secretArn, clientId: text.optional() }).strict(),
          z.object({ tokenUrl: httpsUrl, tenantSecretPrefix: secretNamePrefix }).strict(),
        ],
        { error: 'must be {tokenSecretArn}, {tokenUrl, clientSecretArn, clientId?} or {tokenUrl, tenantSecretPrefix}' },
      ),
    ).optional(),
    /** Multi-tenant with one Fetcher identity for every tenant: only for a Fetcher that is single-tenant on purpose. */
    fetcherSharedIdentity: fromString(z.boolean()).default(false),
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
        .refine((jwt) => !jwt.jwksUrl !== !jwt.secretArn, { error: 'set exactly one of jwt.jwksUrl or jwt.secretArn' })
        // Deployed, both are enforced: without them a token the same keys signed for another service would pass.
        .refine((jwt) => jwt.issuer, { path: ['issuer'], error: 'required: the iss every token must carry' })
        .refine((jwt) => jwt.audience, { path: ['audience'], error: 'required: the aud every token must carry' }),
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
    /** Reserved for each function (11 of them); all together must leave Lambda's 100 unreserved (concurrency-limits.ts). */
    reservedConcurrency: fromString(z.number().int().positive()).optional(),
    /**
     * Execution environments of the create route kept initialised (a `live` alias the API calls): no cold
     * start for that many creates at once. Billed for every hour they are kept (README, Performance).
     */
    createProvisionedConcurrency: fromString(z.number().int().positive().max(100)).optional(),
    /** The account's Lambda concurrency quota in this region, when known (new accounts may have 10). */
    accountConcurrencyLimit: fromString(z.number().int().positive()).optional(),
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
    /** Serve the OpenAPI document (functions/openapi-document/matcher-discovery.json) at GET /openapi.json, without authentication. */
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

/** Settings that cannot work: one line per problem, each naming the key. */
export class DiscoverySettingsError extends Error {
  override name = 'DiscoverySettingsError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid matcher-discovery settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
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
    throw new DiscoverySettingsError(problems);
  }
  const problems = [...fetcherIdentityProblems(parsed.data), ...reservedConcurrencyProblems(parsed.data)];
  if (problems.length) throw new DiscoverySettingsError(problems);
  return parsed.data;
};
