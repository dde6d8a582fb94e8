import type { FetcherAuthConfig } from '../config.ts';
import type { CallContext } from '../discovery/ports.ts';

/**
 * How the service authenticates to Fetcher. A seam: `none` and `bearer` today; a token-exchange mode
 * fits the same shape (fetch and cache a token in headers(), drop it in rejected()).
 */
export interface FetcherAuth {
  headers(call: CallContext): Promise<Record<string, string>>;
  /** Fetcher answered 401: forget any cached credential before the next call. */
  rejected(): void;
}

export const createFetcherAuth = (config: FetcherAuthConfig): FetcherAuth => {
  switch (config.mode) {
    case 'none':
      return { headers: async () => ({}), rejected: () => {} };
    case 'bearer': {
      const headers = { Authorization: `Bearer ${config.token}` };
      return { headers: async () => headers, rejected: () => {} };
    }
  }
};
