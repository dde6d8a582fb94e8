import * as z from 'zod';
import type { ConnectionRequest } from '../discovery/connection.ts';
import { canonicalDatabaseType, DATABASE_TYPES } from '../discovery/database-types.ts';
import type { HostPolicy } from '../discovery/host-policy.ts';
import { HOST_REFUSED, WORDED } from './field-errors.ts';

export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

// Names Fetcher hands to database drivers: no control characters, no lone surrogates.
const PRINTABLE = /^[^\p{Cc}]*$/u;
const printable = (value: string) => value.isWellFormed() && PRINTABLE.test(value);

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine(printable, { message: 'expected a string of printable characters', params: { [WORDED]: true } });

/**
 * Lerian Matcher 4.1.0's ConnectionProvisioningRequest, plus the rules we pin: trimmed strings (never
 * the password), canonical databaseType, strict integer port, no unknown properties.
 */
export const connectionRequestSchema = (hostPolicy: HostPolicy) =>
  z.strictObject({
    configName: text(3, 100).regex(CONFIG_NAME_PATTERN),
    // Stryker disable next-line MethodExpression: canonicalDatabaseType() trims too, so dropping this trim changes nothing
    databaseType: z
      .string()
      .trim()
      .transform((value, ctx) => {
        const canonical = canonicalDatabaseType(value);
        if (canonical) return canonical;
        ctx.addIssue({
          code: 'custom',
          message: `expected value to be one of "${DATABASE_TYPES.join(', ')}"`,
          params: { [WORDED]: true },
        });
        return z.NEVER;
      }),
    host: text(1, 253).superRefine((host, ctx) => {
      if (host.length === 0 || host.length > 253) return; // the length checks already said so
      const verdict = hostPolicy.check(host);
      if (!verdict.allowed) {
        ctx.addIssue({ code: 'custom', message: `host not allowed: ${verdict.reason}`, params: { [HOST_REFUSED]: true, [WORDED]: true } });
      }
    }),
    port: z.int().min(1).max(65535),
    databaseName: text(1, 255),
    userName: text(1, 255),
    password: z.string().max(4096).optional(),
    // Fetcher treats an empty schema as unset, so we do too.
    schema: text(0, 255)
      .optional()
      .transform((value) => (value ? value : undefined)),
  }) satisfies z.ZodType<ConnectionRequest, unknown>;
