import { fetcherError, type FetcherError } from './fetcher-errors.ts';

export interface ListQuery {
  page: number;
  limit: number;
  sortOrder: 'asc' | 'desc';
  type?: string;
  metadata: [string, string][];
}

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;

/** Query parameters of GET /v1/management/connections: a limit over the maximum is refused, not clamped. */
export const parseListQuery = (params: URLSearchParams): { query?: ListQuery; error?: FetcherError } => {
  const page = Number(params.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1)
    return { error: fetcherError(400, 'FET-0405', 'Invalid Query Parameter', 'page must be a positive integer') };
  const limit = Number(params.get('limit') ?? String(DEFAULT_LIMIT));
  if (!Number.isInteger(limit) || limit < 1)
    return { error: fetcherError(400, 'FET-0405', 'Invalid Query Parameter', 'limit must be a positive integer') };
  if (limit > MAX_LIMIT) return { error: fetcherError(400, 'FET-0406', 'Pagination Limit Exceeded', `limit must not exceed ${MAX_LIMIT}`) };
  const sortOrder = (params.get('sortOrder') ?? 'desc').toLowerCase();
  if (sortOrder !== 'asc' && sortOrder !== 'desc')
    return { error: fetcherError(400, 'FET-0407', 'Invalid Sort Order', 'sortOrder must be asc or desc') };
  const type = params.get('type')?.toUpperCase();
  const metadata = [...params.entries()]
    .filter(([key]) => key.startsWith('metadata.'))
    .map(([key, value]) => [key.slice('metadata.'.length), value] as [string, string]);
  return { query: { page, limit, sortOrder, ...(type ? { type } : {}), metadata } };
};
