import { fetcherError, type FetcherError } from './fetcher-errors.ts';

export interface ListQuery {
  page: number;
  limit: number;
  sortOrder: 'asc' | 'desc';
  type?: string;
  metadata: [string, string][];
  /** The created-at window, epoch milliseconds, both ends included ($gte, $lte). */
  createdFrom: number;
  createdTo: number;
}

export interface ListRules {
  now: Date;
  /** MAX_PAGINATION_MONTH_DATE_RANGE: the window of an undated listing, and the longest range allowed. */
  maxMonthRange: number;
}

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;
const DAY_MS = 86_400_000;

const invalidParameter = (name: string) =>
  fetcherError(
    400,
    'FET-0405',
    'Invalid Query Parameter',
    `One or more query parameters are in an incorrect format. Please check the following parameters '[${name}]' and ensure they meet the required format before trying again.`,
  );
const invalidDate = () =>
  fetcherError(
    400,
    'FET-0408',
    'Invalid Date Format Error',
    "The 'initialDate', 'finalDate', or both are in the incorrect format. Please use the 'yyyy-mm-dd' format and try again.",
  );
const endBeforeStart = () =>
  fetcherError(
    400,
    'FET-0409',
    'Invalid Final Date Error',
    "The 'finalDate' cannot be earlier than the 'initialDate'. Please verify the dates and try again.",
  );
const limitExceeded = () =>
  fetcherError(
    400,
    'FET-0406',
    'Pagination Limit Exceeded',
    `The pagination limit exceeds the maximum allowed of ${MAX_LIMIT} items per page. Please verify the limit and try again.`,
  );
const invalidSortOrder = () =>
  fetcherError(
    400,
    'FET-0407',
    'Invalid Sort Order',
    "The 'sort_order' field must be 'asc' or 'desc'. Please provide a valid sort order and try again.",
  );

/** Go's strconv.Atoi: an optional sign and digits, nothing else. */
const integerOf = (value: string) => (/^[+-]?\d{1,15}$/.test(value) ? Number(value) : undefined);

/** Go's time.Parse("2006-01-02"): exactly that shape, and a day that exists; midnight UTC. */
const dayOf = (value: string): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day && month >= 1 && month <= 12 ? ms : undefined;
};

/** Go's AddDate(0, months, 0): a day past the month's end rolls into the next (March 31 less a month is March 3). */
const addMonths = (ms: number, months: number) => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate());
};

/**
 * The created-at window Fetcher applies: without dates, [tomorrow − N months, tomorrow]; without an
 * end, the start's next day; a range longer than N months keeps its end and loses its start. The end
 * is a midnight compared with $lte, so what was created later that day is not in it.
 */
const windowOf = (start: number | undefined, end: number | undefined, { now, maxMonthRange }: ListRules) => {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (start === undefined && end === undefined) {
    const tomorrow = today + DAY_MS;
    return { from: addMonths(tomorrow, -maxMonthRange), to: tomorrow };
  }
  let from = start ?? addMonths(today, -maxMonthRange);
  let to = end ?? from + DAY_MS;
  if (from === to) to += DAY_MS;
  if (from > to) return undefined;
  if (to > addMonths(from, maxMonthRange)) from = addMonths(to, -maxMonthRange);
  return { from, to };
};

/**
 * Query parameters of GET /v1/management/connections, checked in Fetcher's order: the values' shapes
 * (FET-0405, dates FET-0408), the dates (FET-0409), then the pagination: a limit over the maximum is
 * refused (FET-0406), not clamped. Empty values count as absent.
 */
export const parseListQuery = (params: URLSearchParams, rules: ListRules): { query?: ListQuery; error?: FetcherError } => {
  let page = 1;
  let limit = DEFAULT_LIMIT;
  let sortOrder = 'desc';
  let start: number | undefined;
  let end: number | undefined;
  let type: string | undefined;
  const metadata: [string, string][] = [];
  for (const [key, value] of params) {
    if (value === '') continue;
    if (key.startsWith('metadata.')) metadata.push([key.slice('metadata.'.length), value]);
    else if (key === 'limit' || key === 'page') {
      const parsed = integerOf(value);
      if (parsed === undefined) return { error: invalidParameter(key) };
      if (key === 'limit') limit = parsed;
      else page = parsed;
    } else if (key === 'sortOrder') sortOrder = value.toLowerCase();
    else if (key === 'startDate' || key === 'endDate') {
      const day = dayOf(value);
      if (day === undefined) return { error: invalidDate() };
      if (key === 'startDate') start = day;
      else end = day;
    } else if (key === 'type') type = value.toUpperCase();
    // Guards against Mongo operators and oversized filters; other unknown keys are ignored.
    else if (key.startsWith('$') || key.startsWith('_') || key.length > 64 || value.length > 256) return { error: invalidParameter(key) };
  }
  const window = windowOf(start, end, rules);
  if (!window) return { error: endBeforeStart() };
  if (limit < 1) return { error: invalidParameter('limit') };
  if (limit > MAX_LIMIT) return { error: limitExceeded() };
  if (page < 1) return { error: invalidParameter('page') };
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return { error: invalidSortOrder() };
  return {
    query: { page, limit, sortOrder, ...(type ? { type } : {}), metadata, createdFrom: window.from, createdTo: window.to },
  };
};
