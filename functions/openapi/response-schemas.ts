import * as z from 'zod';
import type { ConnectionSchema } from '../discovery/connection-schema.ts';
import type { ConnectionView } from '../discovery/connection.ts';
import { DATABASE_TYPES } from '../discovery/database-types.ts';
import type { DiscoveryStatus } from '../discovery/discovery-status.ts';
import type { ConnectionList } from '../discovery/list-connections.ts';
import { TEST_FAILED, type ConnectionTestAnswer } from '../discovery/test-connection.ts';
import type { Problem } from '../http/problem.ts';

/**
 * What the routes answer, as zod schemas: the API document is generated from them, and each is held to
 * the TypeScript type the use case returns (both ways), so neither can change without the other.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const same = <A, B>(_proof: Same<A, B>) => undefined;

const timestamp = z.iso
  .datetime({ offset: false })
  .meta({ description: 'RFC 3339, UTC, with milliseconds.', examples: ['2026-11-28T15:37:24.115Z'] });

export const connectionResponseSchema = z
  .strictObject({
    id: z.uuid().meta({ description: "Matcher's id of the connection (never Fetcher's)." }),
    configName: z.string().meta({ description: 'Name of the Fetcher configuration that produced this connection' }),
    databaseType: z.enum(DATABASE_TYPES).meta({ description: 'Database engine, canonical token' }),
    status: z.enum(['AVAILABLE', 'UNREACHABLE', 'UNKNOWN']).meta({
      description: 'AVAILABLE: listed by Fetcher at the last sync; UNREACHABLE: no longer listed; UNKNOWN: not yet confirmed.',
    }),
    schemaDiscovered: z.boolean().meta({ description: 'Whether the table schema has been discovered for this connection' }),
    lastSeenAt: timestamp.meta({ description: 'When this connection was last observed in Fetcher (RFC 3339, UTC).' }),
  })
  .meta({ description: 'A discovered Fetcher database connection' });
same<z.output<typeof connectionResponseSchema>, ConnectionView>(true);

export const connectionListSchema = z.strictObject({
  connections: z.array(connectionResponseSchema).meta({ description: 'One page, in id order.' }),
  nextCursor: z
    .string()
    .optional()
    .meta({ description: 'Present when another page follows: send it back as `cursor`, with the same filters.' }),
});
same<z.output<typeof connectionListSchema>, ConnectionList>(true);

const column = z.strictObject({
  name: z.string(),
  type: z.string().optional().meta({ description: 'Only when Fetcher reports it.' }),
  nullable: z.boolean().optional().meta({ description: 'Only when Fetcher reports it.' }),
});

export const connectionSchemaSchema = z.strictObject({
  connectionId: z.uuid(),
  tables: z
    .array(z.strictObject({ tableName: z.string(), columns: z.array(column).meta({ description: 'Sorted by name.' }) }))
    .meta({ description: 'Sorted by name; empty until the schema is discovered, and while the connection is UNREACHABLE.' }),
});
same<z.output<typeof connectionSchemaSchema>, ConnectionSchema>(true);

export const testConnectionResponseSchema = z
  .strictObject({
    connectionId: z.uuid(),
    healthy: z.boolean().meta({ description: 'Whether Fetcher could dial the database.' }),
    latencyMs: z.int().nonnegative().meta({ description: 'Round trip of the test, in milliseconds.' }),
    errorMessage: z
      .literal(TEST_FAILED)
      .optional()
      .meta({ description: "Only when healthy is false, and only ever this text: Fetcher's own message can name hosts and users." }),
  })
  .meta({ description: 'Result of a connectivity test for a discovered connection' });
same<z.output<typeof testConnectionResponseSchema>, ConnectionTestAnswer>(true);

export const discoveryStatusSchema = z.strictObject({
  fetcherHealthy: z.boolean(),
  connectionCount: z.int().nonnegative().meta({ description: "The tenant's cached connections." }),
  lastSyncAt: timestamp.optional().meta({ description: 'When the last complete sync finished; absent before the first.' }),
  sync: z.strictObject({
    state: z.enum(['idle', 'running', 'completed', 'incomplete', 'failed']),
    startedAt: timestamp.optional(),
    finishedAt: timestamp.optional(),
    connectionsSynced: z.int().nonnegative().optional(),
  }),
});
same<z.output<typeof discoveryStatusSchema>, DiscoveryStatus>(true);

export const refreshDoneSchema = z
  .strictObject({ connectionsSynced: z.int().nonnegative() })
  .meta({ description: 'The sync ended within the request.' });

export const refreshAcceptedSchema = z
  .strictObject({ connectionsSynced: z.int().nonnegative(), complete: z.literal(false) })
  .meta({ description: 'The sync goes on in the background; connectionsSynced counts what the request did.' });

export const errorDetailSchema = z.strictObject({
  location: z.string().meta({ description: "Where the error occurred, e.g. 'body.port', 'query.limit' or 'path.connectionId'" }),
  message: z.string().meta({ description: 'Error message text' }),
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .optional()
    .meta({ description: 'The value at the given location: only a non-secret scalar the caller sent, never the password' }),
});

/** RFC 9457 problem details: the published Detail, every field of which this service always sends. */
export const detailSchema = z.strictObject({
  type: z.string().meta({ format: 'uri', default: 'about:blank', examples: ['about:blank'] }),
  title: z.string().meta({ description: "The HTTP status's reason phrase.", examples: ['Unprocessable Entity'] }),
  status: z.int().meta({ description: 'HTTP status code', examples: [422] }),
  detail: z.string().meta({ description: 'A human-readable explanation specific to this occurrence of the problem.' }),
  instance: z
    .string()
    .meta({ format: 'uri', description: 'The request, as urn:request:<request id>.', examples: ['urn:request:5c0f2e4a'] }),
  code: z.string().meta({ description: 'Stable, machine-readable error code (MTCH-NNNN).', examples: ['MTCH-0005'] }),
  errors: z.array(errorDetailSchema).optional().meta({ description: 'One entry per problem with the request, all at once' }),
});
same<z.output<typeof detailSchema>, Omit<Problem, 'code' | 'errors'> & { code: string; errors?: z.output<typeof errorDetailSchema>[] }>(
  true,
);
