import ipaddr from 'ipaddr.js';
import * as z from 'zod';

/** The process environment, or any stand-in for it: variable name to value. */
export type Environment = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const invalid = (name: string, problem: string) => new ConfigError(`Invalid configuration: ${name}: ${problem}`);

// The building blocks every section's schema is made of.
export const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
export const optionalText = z.string().trim().min(1).optional();
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// Where keys or credentials come from: https, or plain http only on this machine (the local harness).
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
export const keyUrl = httpUrl.refine((value) => new URL(value).protocol === 'https:' || LOOPBACK_HOST.test(new URL(value).hostname), {
  error: 'must be https (plain http only on loopback)',
});
export const secretArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN');
export const MIN_SECRET_LENGTH = 32;
export const longSecret = z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);

export const cidrList = z
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
export const exactlyOne = (env: Record<string, unknown>, names: string[], ctx: z.RefinementCtx, when = '') => {
  if (names.filter((name) => env[name]).length !== 1) {
    ctx.addIssue({ code: 'custom', path: [names[0]!], message: `set exactly one of ${names.join(' or ')}${when}` });
  }
};

/** Each problem as `VARIABLE: message`; never the value, which may be a secret. */
export const problemsOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);

/** The environment with variables set to blanks removed: for most deployment tools that is unset. */
export const presentVariables = (env: Environment): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `<n>s`, `<n>m`, `<n>h` or `<n>d`; a bare number is seconds. */
export const duration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((value) => /^\d+[smhd]?$/.test(value), { error: 'must be a duration such as 90s, 30m, 24h or 7d' })
    .transform((value) => Number.parseInt(value, 10) * UNIT_MS[value.replace(/^\d+/, '') || 's']!);
