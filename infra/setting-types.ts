import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import ipaddr from 'ipaddr.js';
import * as z from 'zod';

/** The kinds of value the settings (infra/discovery-settings.ts) are made of, each with the message a bad one gets. */

// A complete ARN (with the 6-character suffix Secrets Manager adds): IAM matches ARNs exactly, so a
// partial ARN would deploy and then fail with AccessDenied at the first cold start.
export const secretArn = z
  .string()
  .trim()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
    'must be the complete ARN of a Secrets Manager secret (ending in its 6-character suffix)',
  );
// The name prefix of per-tenant secrets (tenant T's secret is `${prefix}${T}`). The grant is
// GetSecretValue on `<prefix>*`: a prefix that ends mid-word (`fetcher`) would also cover the
// `fetcher-admin` secrets, and a wildcard in it would widen the grant past the prefix.
const prefixProblem = (value: string): string | undefined => {
  if (/[*?]/.test(value)) return 'must not hold a wildcard (* or ?): the grant adds the one * after the prefix';
  if (!/^[A-Za-z0-9/_+=.@-]{2,200}$/.test(value))
    return 'must be 2 to 200 characters of a Secrets Manager name (letters, digits and /_+=.@-)';
  if (!/[A-Za-z0-9]/.test(value) || !/[/_-]$/.test(value))
    return 'must name something and end in /, - or _ (e.g. matcher-discovery/fetcher/), so that <prefix>* covers only these secrets';
  return undefined;
};
// One message per bad prefix, the first that applies.
export const secretNamePrefix = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = prefixProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const kmsKeyArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'must be the ARN of a KMS key');
export const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });
export const text = z.string().trim().min(1);

// Context given on the command line (-c key=value) arrives as a string: read JSON, numbers and
// booleans out of it, so `-c multiTenant=true` and `-c 'vpc={"vpcId":...}'` work as in cdk.json.
export const fromString = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema);

export const list = <T extends z.ZodType>(item: T) =>
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

export const cidr = z
  .string()
  .trim()
  .refine((value) => ipaddr.isValidCIDR(value), { error: 'must be a CIDR block' });
export const origin = z
  .string()
  .trim()
  .regex(/^(\*|https?:\/\/[^/\s]+)$/, 'must be an origin such as https://app.example.com (no path), or *');
export const email = z.email({ error: 'must be an e-mail address' });
export const topicArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'must be the ARN of an SNS topic');
export const awsId = (prefix: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `must be an id like ${prefix}-0123456789abcdef0`);
export const RETENTION_DAYS = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');
