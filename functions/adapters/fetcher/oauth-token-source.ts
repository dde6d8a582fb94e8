import * as z from 'zod';
import { MatcherError } from '../../discovery/errors.ts';
import type { Call } from '../../discovery/ports.ts';
import { withhold } from '../../observability/secret-values.ts';
import { DEFAULT_RETRY_AFTER_SECONDS, transportFailure } from './transport-failure.ts';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenEndpoint {
  tokenUrl: string;
  timeoutMs: number;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

// Refresh this long before expiry, so a token never expires in flight.
const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_S = 300;

/**
 * One OAuth client_credentials identity: a token from the token endpoint (form-encoded, as Matcher's
 * M2M exchanger posts it), cached until shortly before it expires, one request in flight at a time,
 * forgotten when Fetcher refuses it.
 */
export const oauthTokenSource = (endpoint: TokenEndpoint, credentials: (call: Call) => Promise<ClientCredentials>, now: () => number) => {
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let releaseToken = () => {};

  const requestToken = async (call: Call): Promise<string> => {
    const { clientId, clientSecret } = await credentials(call);
    let response: Response;
    try {
      response = await fetch(endpoint.tokenUrl, {
        method: 'POST',
        redirect: 'error',
        signal: call.deadline.signal(endpoint.timeoutMs),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
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
    async token(call: Call): Promise<string> {
      if (cached && now() < cached.refreshAt) return cached.token;
      inFlight ??= requestToken(call).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    forget() {
      cached = undefined;
    },
  };
};
