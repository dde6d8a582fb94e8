import * as z from 'zod';
import type { ConnectionRequest } from '../discovery/connection.ts';
import { canonicalDatabaseType, DATABASE_TYPES } from '../discovery/database-types.ts';
import type { HostPolicy } from '../discovery/host-policy.ts';
import { HOST_REFUSED, WORDED } from './field-errors.ts';

export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

// Names Fetcher hands to database drivers: no control characters, no lone surrogates.
const PRINTABLE = /^[^\p{Cc}]*$/u;
const printable = (value: string) => value.isWellFormed() && PRINTABLE.test(value);

// Characters that end or extend a DSN or URL (options, credentials, hosts, paths) and quotes that
// escape one: a name that holds them could smuggle connection options past the host policy if
// Fetcher builds a connection string from it.
const DSN_METACHARACTERS = /[?&=/;:@#%,()<>{}[\]|\\'"`\s]/u;
const DSN_MESSAGE = 'expected no URL or DSN metacharacters (?&=/;:@#%,()<>{}[]|\\, quotes or whitespace)';
// A user name may carry one @ inside it (Azure's user@server); nothing else of the set.
const USER_WITH_SERVER = /^[^@]+@[^@]+$/u;

const withoutMetacharacters = (value: string) => !DSN_METACHARACTERS.test(value);
const userWithoutMetacharacters = (value: string) =>
  withoutMetacharacters(value) || (USER_WITH_SERVER.test(value) && withoutMetacharacters(value.replace('@', '')));

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    // Unprintable is the one problem of such a value: the checks after it would only repeat it.
    .refine(printable, { message: 'expected a string of printable characters', params: { [WORDED]: true }, abort: true });

/**
 * Lerian Matcher 4.1.0's ConnectionProvisioningRequest, plus the rules we pin: trimmed strings (never
 * the password), canonical databaseType, strict integer port, no unknown properties.
 */
export const connectionRequestSchema = (hostPolicy: HostPolicy) =>
  z.strictObject({
    configName: text(3, 100)
      .regex(CONFIG_NAME_PATTERN)
      .meta({ description: 'Connection configuration name, unique in the tenant (trimmed)', examples: ['prod-ledger-db'] }),
    // Stryker disable next-line MethodExpression: canonicalDatabaseType() trims too, so dropping this trim changes nothing
    databaseType: z
      .string()
      .trim()
      // Examples of what is sent: on the input side, before the transform.
      .meta({ examples: ['POSTGRESQL', 'postgres'], minLength: 1 })
      .transform((value, ctx) => {
        const canonical = canonicalDatabaseType(value);
        if (canonical) return canonical;
        ctx.addIssue({
          code: 'custom',
          message: `expected value to be one of "${DATABASE_TYPES.join(', ')}"`,
          params: { [WORDED]: true },
        });
        return z.NEVER;
      })
      .meta({
        description: `Database engine: ${DATABASE_TYPES.join(', ')} in any case, or a common alias (postgres, pg -> POSTGRESQL; mysql, mariadb -> MYSQL; mongo -> MONGODB; mssql, sqlserver, sql-server -> SQL_SERVER; oracledb -> ORACLE)`,
      }),
    host: text(1, 253)
      .superRefine((host, ctx) => {
        if (host.length === 0 || host.length > 253) return; // the length checks already said so
        const verdict = hostPolicy.check(host);
        if (!verdict.allowed) {
          ctx.addIssue({
            code: 'custom',
            message: `host not allowed: ${verdict.reason}`,
            params: { [HOST_REFUSED]: true, [WORDED]: true },
          });
        }
      })
      .meta({
        description:
          'Database host: a public DNS name or IP address; internal, private, loopback and metadata addresses are refused (422 MTCH-0209)',
        examples: ['db.example.com'],
      }),
    port: z
      .int()
      .min(1)
      .max(65535)
      .meta({ description: 'Database TCP port (1-65535), a JSON integer', examples: [5432] }),
    databaseName: text(1, 255)
      .refine(withoutMetacharacters, { message: DSN_MESSAGE, params: { [WORDED]: true } })
      .meta({ description: 'Database name', examples: ['ledger'] }),
    userName: text(1, 255)
      .refine(userWithoutMetacharacters, { message: DSN_MESSAGE, params: { [WORDED]: true } })
      .meta({ description: 'Database user name the connection authenticates as', examples: ['matcher_ro'] }),
    password: z.string().max(4096).optional().meta({
      description: 'Forwarded to Fetcher only: never stored, logged or returned; never trimmed',
      format: 'password',
      writeOnly: true,
    }),
    // Fetcher treats an empty schema as unset, so we do too.
    schema: text(0, 255)
      .refine(withoutMetacharacters, { message: DSN_MESSAGE, params: { [WORDED]: true } })
      .meta({ examples: ['public'] })
      .optional()
      .transform((value) => (value ? value : undefined))
      .meta({ description: 'Optional schema/namespace within the database' }),
  }) satisfies z.ZodType<ConnectionRequest, unknown>;

/**
 * Lerian Matcher 4.1.0's ConnectionUpdateRequest: the create's fields and rules, every one optional,
 * at least one given, none null.
 */
export const connectionUpdateSchema = (hostPolicy: HostPolicy) =>
  connectionRequestSchema(hostPolicy)
    .partial()
    .refine((changes) => Object.keys(changes).length > 0, { message: 'expected at least one property', params: { [WORDED]: true } });
