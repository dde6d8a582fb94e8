import * as z from 'zod';
import { DATABASE_TYPES } from '../../discovery/database-types.ts';

/** Fetcher's ConnectionResponse (reference/fetcher-api.md §2); unknown fields are ignored. */
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
});

/** A page of GET /v1/management/connections (§3). */
export const fetcherPageSchema = z.object({
  items: z.array(z.unknown()),
});

/** ConnectionSchemaResponse (§7): tables sorted by name, fields sorted, always an array. */
export const fetcherSchemaSchema = z.object({
  tables: z.array(
    z.object({
      // Engines cap names far lower (63 to 255); the cap keeps the item's sort key under 1 KB.
      name: z.string().min(1).max(255),
      fields: z.array(z.string().max(1024)).default([]),
    }),
  ),
});

/** Fetcher's error body (§5); `code` is sometimes a number. Only codes and field keys are ever used. */
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
