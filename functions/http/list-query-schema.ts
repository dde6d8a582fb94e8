import * as z from 'zod';
import { canonicalDatabaseType, DATABASE_TYPES } from '../discovery/database-types.ts';
import { CURSOR_MESSAGE, type CursorCodec } from '../discovery/list-cursor.ts';
import { WORDED } from './field-errors.ts';

const STATUSES = ['AVAILABLE', 'UNREACHABLE', 'UNKNOWN'] as const;

/**
 * The list route's query string: limit 1..200 (50), an opaque cursor, filters by status and type
 * (aliases accepted). A cursor's signature is checked here, so a forged one is listed with every other
 * problem; whose tenant and filters it was made for, the use case checks.
 */
export const listQuerySchema = (cursors: Pick<CursorCodec, 'decode'>) =>
  z.strictObject({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(50)
      .meta({ description: 'Page size, 1 to 200.', examples: [50] }),
    cursor: z
      .string()
      .min(1)
      .max(1_024)
      // Out of bounds, the length checks already said so.
      .refine((cursor) => cursor.length === 0 || cursor.length > 1_024 || cursors.decode(cursor) !== undefined, {
        message: CURSOR_MESSAGE,
        params: { [WORDED]: true },
      })
      .optional()
      .meta({
        description:
          "The previous page's nextCursor, opaque. It is only good for the tenant and the filters it was made for: sent with others it is refused (422 at query.cursor).",
      }),
    status: z
      .string()
      .meta({ examples: ['AVAILABLE'] })
      .transform((value) => value.trim().toUpperCase())
      .pipe(z.enum(STATUSES))
      .optional()
      .meta({ description: `Only connections in this status, in any case: ${STATUSES.join(', ')}.` }),
    databaseType: z
      .string()
      .meta({ examples: ['postgres'] })
      .transform((value, ctx) => {
        const canonical = canonicalDatabaseType(value);
        if (canonical) return canonical;
        ctx.addIssue({ code: 'custom', message: `expected value to be one of "${DATABASE_TYPES.join(', ')}"`, params: { [WORDED]: true } });
        return z.NEVER;
      })
      .optional()
      .meta({
        description: `Only connections of this engine: ${DATABASE_TYPES.join(', ')} in any case, or an alias (postgres, pg, mariadb, mongo, mssql, sqlserver, oracledb, ...).`,
      }),
  });

/** Query parameters whose value a field error may echo: none of them is a secret, the cursor is just long. */
export const LIST_QUERY_ECHO: ReadonlySet<string> = new Set(['limit', 'status', 'databaseType']);
