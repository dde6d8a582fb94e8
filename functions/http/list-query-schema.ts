import * as z from 'zod';
import { canonicalDatabaseType, DATABASE_TYPES } from '../discovery/database-types.ts';
import { WORDED } from './field-errors.ts';

const STATUSES = ['AVAILABLE', 'UNREACHABLE', 'UNKNOWN'] as const;

/** The list route's query string: limit 1..200 (50), an opaque cursor, filters by status and type (aliases accepted). */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1_024).optional(),
  status: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .pipe(z.enum(STATUSES))
    .optional(),
  databaseType: z
    .string()
    .transform((value, ctx) => {
      const canonical = canonicalDatabaseType(value);
      if (canonical) return canonical;
      ctx.addIssue({ code: 'custom', message: `expected value to be one of "${DATABASE_TYPES.join(', ')}"`, params: { [WORDED]: true } });
      return z.NEVER;
    })
    .optional(),
});

/** Query parameters whose value a field error may echo: none of them is a secret, the cursor is just long. */
export const LIST_QUERY_ECHO: ReadonlySet<string> = new Set(['limit', 'status', 'databaseType']);
