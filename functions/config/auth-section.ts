import * as z from 'zod';
import type { AuthOptions } from '../http/authenticate.ts';
import { duration, exactlyOne, flag, keyUrl, longSecret, nonNegativeInt, optionalText, positiveInt, secretArn } from './environment.ts';
import { defineSection, longSecretOf } from './section.ts';

const scope = (fallback: string) => z.string().trim().min(1).default(fallback);

const schema = z
  .object({
    JWT_JWKS_URL: keyUrl.optional(),
    JWT_SECRET: longSecret.optional(),
    JWT_SECRET_ARN: secretArn.optional(),
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_CLOCK_TOLERANCE_S: nonNegativeInt(30),
    JWT_JWKS_TIMEOUT_MS: positiveInt(2_000),
    REQUIRED_SCOPE: scope('discovery:write'),
    READ_SCOPE: scope('discovery:read'),
    MULTI_TENANT: flag,
    TENANT_CLAIM: z.string().trim().min(1).default('tenant_id'),
    // Token hygiene, off unless set: how old a token may be (by its iat), and the typ it must declare (at+jwt, RFC 9068).
    JWT_MAX_TOKEN_AGE: duration('0s'),
    JWT_REQUIRED_TYP: optionalText,
  })
  .superRefine((env, ctx) => exactlyOne(env, ['JWT_JWKS_URL', 'JWT_SECRET', 'JWT_SECRET_ARN'], ctx));

/** Who may call: the JWT_* variables, the permissions and the tenancy. */
export const authSection = defineSection({
  schema,
  secretArns: (e) => (e.JWT_SECRET_ARN ? ['JWT_SECRET_ARN'] : []),
  build: (e, secretOf): AuthOptions => ({
    keys: e.JWT_JWKS_URL
      ? { kind: 'jwks', url: new URL(e.JWT_JWKS_URL), timeoutMs: e.JWT_JWKS_TIMEOUT_MS }
      : { kind: 'secret', secret: e.JWT_SECRET ?? longSecretOf('JWT_SECRET_ARN', secretOf('JWT_SECRET_ARN')) },
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_S,
    ...(e.JWT_MAX_TOKEN_AGE ? { maxTokenAgeSeconds: e.JWT_MAX_TOKEN_AGE / 1000 } : {}),
    ...(e.JWT_REQUIRED_TYP ? { requiredTyp: e.JWT_REQUIRED_TYP } : {}),
    requiredScope: e.REQUIRED_SCOPE,
    readScope: e.READ_SCOPE,
    multiTenant: e.MULTI_TENANT,
    tenantClaim: e.TENANT_CLAIM,
  }),
  secretsIn: ({ keys }) => (keys.kind === 'secret' ? [keys.secret] : []),
});
