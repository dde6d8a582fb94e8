import type { FetcherConnection } from './connection.ts';
import type { Call, FetcherPort } from './ports.ts';

const DAY_MS = 86_400_000;
/** Fetcher's largest page; a larger limit is an error there, not a clamp. */
export const PAGE_SIZE = 100;

export interface ListingOptions {
  /** X-Product-Name: Fetcher stores it lower-cased; page 1 may also carry other products' internal connections. */
  productName: string;
  /** Walk back at least this far: the oldest connection ever cached, or the configured history. */
  since: Date;
  now: Date;
  /** Each window's length: no longer than the range Fetcher allows before it clamps (a month by default). */
  windowDays: number;
}

export interface Listing {
  /** The product's connections, by Fetcher id (windows overlap, so some are listed twice). */
  connections: Map<string, FetcherConnection>;
  /** False when a call failed part way: then the listing says nothing about what is missing from it. */
  complete: boolean;
  error?: unknown;
  windows: number;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/**
 * Every connection of the product, as Fetcher really lists them: without dates it hides connections
 * older than about a month, so the listing walks back in windows of `windowDays`, newest first, each
 * paged by 100 until a short page (`total` is advisory). `endDate` is midnight, so each window ends a
 * day into the one after it: the windows overlap by a day and nothing falls between them.
 */
export const listFetcherConnections = async (fetcher: FetcherPort, options: ListingOptions, call: Call): Promise<Listing> => {
  const product = options.productName.toLowerCase();
  const connections = new Map<string, FetcherConnection>();
  let end = startOfDay(options.now) + DAY_MS;
  let windows = 0;
  try {
    for (;;) {
      const start = end - options.windowDays * DAY_MS;
      windows++;
      for (let page = 1; ; page++) {
        const listed = await fetcher.listConnections({ startDate: dayOf(start), endDate: dayOf(end), page, limit: PAGE_SIZE }, call);
        for (const connection of listed.connections) {
          if (connection.productName?.toLowerCase() === product) connections.set(connection.fetcherConnectionId, connection);
        }
        if (listed.itemCount < PAGE_SIZE) break;
      }
      if (start <= options.since.getTime()) return { connections, complete: true, windows };
      end = start + DAY_MS;
    }
  } catch (error) {
    return { connections, complete: false, error, windows };
  }
};
