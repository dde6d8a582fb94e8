import * as z from 'zod';
import type { DiscoveredTable, FetcherConnection } from '../../discovery/connection.ts';
import { DATABASE_TYPES } from '../../discovery/database-types.ts';

// Go's RFC 3339 with nanoseconds; a value that does not parse is treated as absent.
const timestamp = z
  .string()
  .optional()
  .transform((value) => (value === undefined || Number.isNaN(Date.parse(value)) ? undefined : new Date(value)));

/** Fetcher's ConnectionResponse; unknown fields are ignored. */
export const fetcherConnectionSchema = z.object({
  id: z.uuid(),
  productName: z.string().optional(),
  configName: z.string().min(1),
  type: z.enum(DATABASE_TYPES),
  host: z.string().min(1),
  port: z.int().min(1).max(65535),
  databaseName: z.string(),
  schema: z.string().optional(),
  userName: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  createdAt: timestamp,
});

/** Fetcher's connection in our terms: its id is Fetcher's, never ours; no password is ever there. */
export const toConnection = (answer: unknown): FetcherConnection | undefined => {
  const parsed = fetcherConnectionSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const { id, type, schema, productName, createdAt, metadata: _, ...rest } = parsed.data;
  return {
    ...rest,
    fetcherConnectionId: id,
    databaseType: type,
    ...(schema ? { schema } : {}),
    ...(productName ? { productName } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
};

/** A page of GET /v1/management/connections: `items` is always an array; `total` is advisory. */
export const fetcherPageSchema = z.object({
  items: z.array(z.unknown()),
});

// Fetcher 2.0 lists field names; a field that also says its type and nullability keeps them.
const field = z.union([
  z
    .string()
    .max(1024)
    .transform((name) => ({ name })),
  z.object({ name: z.string().min(1).max(1024), type: z.string().max(255).optional(), nullable: z.boolean().optional() }),
]);

/** ConnectionSchemaResponse: tables sorted by name, fields sorted, always an array. */
export const fetcherSchemaSchema = z.object({
  tables: z.array(
    z.object({
      // Engines cap names far lower (63 to 255).
      name: z.string().min(1).max(255),
      fields: z.array(field).default([]),
    }),
  ),
});

export const toTables = (answer: z.output<typeof fetcherSchemaSchema>): DiscoveredTable[] =>
  answer.tables.map((table) => ({ name: table.name, columns: table.fields }));

/** POST /:id/test's success; Fetcher reports a failed dial as an error answer, not here. */
export const fetcherTestSchema = z.object({ status: z.literal('success'), latencyMs: z.number().int().nonnegative().optional() });

/** GET /health: `ok` or `healthy`, as Matcher accepts. */
export const fetcherHealthSchema = z.object({ status: z.enum(['ok', 'healthy']) });

/** Fetcher's error body; `code` is sometimes a number. Only codes and field keys are ever used. */
export const fetcherErrorSchema = z.object({
  code: z.union([z.string(), z.number()]).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});

/** One answer from Fetcher, whatever its status. */
export interface FetcherAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
}

// Fetcher's schema and test routes answer 500 when the customer's database fails: that says nothing
// about Fetcher's own health.
const DATABASE_ERROR_TITLES = new Set(['Database Connection Error', 'Schema Retrieval Error']);

/** Fetcher itself failing or overloaded, as opposed to refusing the request or a database being down. */
export const isFetcherFault = (answer: FetcherAnswer): boolean => {
  if (answer.status === 429) return true;
  if (answer.status < 500) return false;
  const title = (answer.json as { title?: unknown } | undefined)?.title;
  return !(typeof title === 'string' && DATABASE_ERROR_TITLES.has(title));
};
