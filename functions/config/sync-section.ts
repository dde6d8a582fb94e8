import * as z from 'zod';
import type { SyncOptions } from '../discovery/sync-tenant.ts';
import { positiveInt } from './environment.ts';
import { defineSection } from './section.ts';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `<n>s`, `<n>m`, `<n>h` or `<n>d`; a bare number is seconds. */
const duration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((value) => /^\d+[smhd]?$/.test(value), { error: 'must be a duration such as 90s, 30m, 24h or 7d' })
    .transform((value) => Number.parseInt(value, 10) * UNIT_MS[value.replace(/^\d+/, '') || 's']!);

const schema = z.object({
  SYNC_HISTORY_MONTHS: positiveInt(24),
  SCHEMA_MAX_AGE: duration('24h'),
  SYNC_SCHEMA_CONCURRENCY: positiveInt(4),
  // Fetcher's MAX_PAGINATION_MONTH_DATE_RANGE (default 1 month): a longer window would be clamped.
  FETCHER_LIST_WINDOW_DAYS: positiveInt(28).refine((days) => days <= 366, { error: 'must be at most 366' }),
  REFRESH_INLINE_BUDGET_MS: positiveInt(20_000),
});

export interface SyncSectionOptions {
  /** The product comes from the Fetcher section (FETCHER_PRODUCT_NAME). */
  sync: Omit<SyncOptions, 'productName'>;
  /** How long POST /v1/discovery/refresh syncs inline before it hands the rest to the queue. */
  refreshInlineBudgetMs: number;
}

/** How a tenant's sync walks Fetcher and refreshes schemas. */
export const syncSection = defineSection({
  schema,
  build: (e): SyncSectionOptions => ({
    sync: {
      historyMonths: e.SYNC_HISTORY_MONTHS,
      windowDays: e.FETCHER_LIST_WINDOW_DAYS,
      schemaMaxAgeMs: e.SCHEMA_MAX_AGE,
      schemaConcurrency: e.SYNC_SCHEMA_CONCURRENCY,
    },
    refreshInlineBudgetMs: e.REFRESH_INLINE_BUDGET_MS,
  }),
});
