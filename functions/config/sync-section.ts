import * as z from 'zod';
import type { SyncOptions } from '../discovery/sync-tenant.ts';
import { duration, positiveInt } from './environment.ts';
import { defineSection } from './section.ts';

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
