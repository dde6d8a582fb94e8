import * as z from 'zod';
import type { FetcherAuthOptions } from '../adapters/fetcher/fetcher-auth.ts';
import type { FetcherClientOptions } from '../adapters/fetcher/fetcher-options.ts';
import { exactlyOne, flag, httpUrl, invalid, keyUrl, optionalText, positiveInt, secretArn } from './environment.ts';
import { defineSection } from './section.ts';

const schema = z
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
    // Each tenant's client credentials in its own secret, named by this prefix and the tenant id.
    FETCHER_TENANT_SECRET_PREFIX: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'must be a Secrets Manager name prefix (letters, digits and /_+=.@-)')
      .optional(),
    FETCHER_TENANT_SECRET_TTL_S: positiveInt(300),
    MULTI_TENANT: flag,
    FETCHER_SHARED_IDENTITY: flag,
    FETCHER_BREAKER_THRESHOLD: positiveInt(5),
    FETCHER_BREAKER_COOLDOWN_MS: positiveInt(30_000),
    FETCHER_TIMEOUT_MS: positiveInt(10_000),
    FETCHER_MAX_RESPONSE_BYTES: positiveInt(4 * 1024 * 1024),
  })
  .superRefine((env, ctx) => {
    if (new URL(env.FETCHER_URL).protocol === 'http:' && !env.FETCHER_ALLOW_INSECURE_HTTP) {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_URL'], message: 'must be https (or set FETCHER_ALLOW_INSECURE_HTTP=true)' });
    }
    if (env.FETCHER_AUTH === 'bearer') exactlyOne(env, ['FETCHER_TOKEN', 'FETCHER_TOKEN_SECRET_ARN'], ctx, ' when FETCHER_AUTH=bearer');
    const perTenant = env.FETCHER_AUTH === 'client_credentials' && env.FETCHER_TENANT_SECRET_PREFIX !== undefined;
    // Fetcher picks the tenant's database from its token: one identity for every tenant would put them all in one.
    if (env.MULTI_TENANT && !perTenant && !env.FETCHER_SHARED_IDENTITY) {
      ctx.addIssue({
        code: 'custom',
        path: ['MULTI_TENANT'],
        message:
          `MULTI_TENANT=true with FETCHER_AUTH=${env.FETCHER_AUTH}${env.FETCHER_AUTH === 'client_credentials' ? ' and no FETCHER_TENANT_SECRET_PREFIX' : ''} ` +
          'sends every tenant to Fetcher as one identity: set FETCHER_AUTH=client_credentials with FETCHER_TENANT_SECRET_PREFIX, ' +
          'or FETCHER_SHARED_IDENTITY=true if the Fetcher behind it is single-tenant on purpose',
      });
    }
    if (env.FETCHER_TENANT_SECRET_PREFIX !== undefined && env.FETCHER_AUTH !== 'client_credentials') {
      ctx.addIssue({ code: 'custom', path: ['FETCHER_TENANT_SECRET_PREFIX'], message: 'needs FETCHER_AUTH=client_credentials' });
    }
    if (env.FETCHER_AUTH === 'client_credentials' && perTenant) {
      if (!env.FETCHER_TOKEN_URL) {
        ctx.addIssue({ code: 'custom', path: ['FETCHER_TOKEN_URL'], message: 'required when FETCHER_AUTH=client_credentials' });
      }
    } else if (env.FETCHER_AUTH === 'client_credentials') {
      if (!env.FETCHER_TOKEN_URL) {
        ctx.addIssue({ code: 'custom', path: ['FETCHER_TOKEN_URL'], message: 'required when FETCHER_AUTH=client_credentials' });
      }
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

type Parsed = z.output<typeof schema>;

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

const authOf = (e: Parsed, secretOf: (variable: string) => string): FetcherAuthOptions => {
  switch (e.FETCHER_AUTH) {
    case 'bearer':
      return { mode: 'bearer', token: e.FETCHER_TOKEN ?? secretOf('FETCHER_TOKEN_SECRET_ARN') };
    case 'client_credentials': {
      if (e.FETCHER_TENANT_SECRET_PREFIX !== undefined) {
        return {
          mode: 'tenant_client_credentials',
          tokenUrl: e.FETCHER_TOKEN_URL!,
          timeoutMs: e.FETCHER_TIMEOUT_MS,
          secretPrefix: e.FETCHER_TENANT_SECRET_PREFIX,
          ttlMs: e.FETCHER_TENANT_SECRET_TTL_S * 1000,
        };
      }
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

/** How to reach Fetcher: FETCHER_* variables. */
export const fetcherSection = defineSection({
  schema,
  secretArns: (e) => {
    if (e.FETCHER_AUTH === 'bearer' && e.FETCHER_TOKEN_SECRET_ARN) return ['FETCHER_TOKEN_SECRET_ARN'];
    if (e.FETCHER_AUTH === 'client_credentials' && e.FETCHER_CLIENT_SECRET_ARN && !e.FETCHER_TENANT_SECRET_PREFIX)
      return ['FETCHER_CLIENT_SECRET_ARN'];
    return [];
  },
  build: (e, secretOf): FetcherClientOptions => ({
    baseUrl: e.FETCHER_URL.replace(/\/+$/, ''),
    productName: e.FETCHER_PRODUCT_NAME,
    auth: authOf(e, secretOf),
    timeoutMs: e.FETCHER_TIMEOUT_MS,
    maxResponseBytes: e.FETCHER_MAX_RESPONSE_BYTES,
    breaker: { threshold: e.FETCHER_BREAKER_THRESHOLD, cooldownMs: e.FETCHER_BREAKER_COOLDOWN_MS },
    multiTenant: e.MULTI_TENANT,
  }),
  secretsIn: ({ auth }) => (auth.mode === 'bearer' ? [auth.token] : auth.mode === 'client_credentials' ? [auth.clientSecret] : []),
});
