import * as z from 'zod';
import { MatcherError } from '../../discovery/errors.ts';
import type { Call } from '../../discovery/ports.ts';
import { withhold } from '../../observability/secret-values.ts';
import { DEFAULT_RETRY_AFTER_SECONDS, transportFailure } from './transport-failure.ts';

/** How the service authenticates to Fetcher (FETCHER_AUTH and its variables). */
export type FetcherAuthOptions =
  | { mode: 'none' }
  | { mode: 'bearer'; token: string }
  | { mode: 'client_credentials'; tokenUrl: string; clientId: string; clientSecret: string; timeoutMs: number };

/**
 * How the service authenticates to Fetcher: `none`, a static `bearer` token, or `client_credentials`
 * (an OAuth token from FETCHER_TOKEN_URL, cached until shortly before it expires).
 */
export interface FetcherAuth {
  headers(call: Call): Promise<Record<string, string>>;
  /** Fetcher answered 401: forget any cached credential before the next call. */
  rejected(): void;
  /** Whether a call refused with 401 is worth one more try with a fresh credential. */
  readonly refreshable: boolean;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

// Refresh this long before expiry, so a token never expires in flight.
const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_S = 300;

const clientCredentials = (config: Extract<FetcherAuthOptions, { mode: 'client_credentials' }>, now: () => number): FetcherAuth => {
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let releaseToken = () => {};

  const requestToken = async (call: Call): Promise<string> => {
    let response: Response;
    try {
      response = await fetch(config.tokenUrl, {
        method: 'POST',
        redirect: 'error',
        signal: call.deadline.signal(config.timeoutMs),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret }),
      });
    } catch (error) {
      // Asking for a token creates nothing in Fetcher: never an unknown outcome to look up.
      throw transportFailure(error, 'the token request', false);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new MatcherError('MTCH-0203', "Fetcher's token service is unavailable; try again shortly.", {
        retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      });
    }
    const parsed = tokenAnswer.safeParse(response.ok ? await response.json().catch(() => undefined) : undefined);
    if (!parsed.success) throw new MatcherError('MTCH-0207', "Fetcher's token service refused our credentials.");
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    cached = { token: parsed.data.access_token, refreshAt: now() + Math.max(lifetimeMs / 2, lifetimeMs - REFRESH_MARGIN_MS) };
    // The token is a credential too: withheld from every log line while it is the one in use.
    releaseToken();
    releaseToken = withhold(cached.token);
    return cached.token;
  };

  return {
    refreshable: true,
    async headers(call) {
      if (cached && now() < cached.refreshAt) return { Authorization: `Bearer ${cached.token}` };
      // One refresh in flight at a time: concurrent calls wait for the same token.
      inFlight ??= requestToken(call).finally(() => {
        inFlight = undefined;
      });
      return { Authorization: `Bearer ${await inFlight}` };
    },
    rejected() {
      cached = undefined;
    },
  };
};

export const createFetcherAuth = (config: FetcherAuthOptions, now: () => number = Date.now): FetcherAuth => {
  switch (config.mode) {
    case 'none':
      return { refreshable: false, headers: async () => ({}), rejected: () => {} };
    case 'bearer': {
      const headers = { Authorization: `Bearer ${config.token}` };
      return { refreshable: false, headers: async () => headers, rejected: () => {} };
    }
    case 'client_credentials':
      return clientCredentials(config, now);
  }
};
