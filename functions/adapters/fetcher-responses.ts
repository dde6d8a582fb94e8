import * as z from 'zod';
import { DATABASE_TYPES } from '../discovery/database-types.ts';

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
