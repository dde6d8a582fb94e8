import * as z from 'zod';
import { MatcherError } from '../../discovery/errors.ts';
import type { Call } from '../../discovery/ports.ts';
import { logger } from '../../observability/logger.ts';
import { withhold } from '../../observability/secret-values.ts';
import type { SecretReader } from '../secrets-manager.ts';
import type { ClientCredentials } from './oauth-token-source.ts';

const credentialsJson = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

// How long a tenant with no credentials is told to wait: an operator has to add them.
const MISSING_RETRY_AFTER_SECONDS = 60;

export interface TenantCredentialOptions {
  /** The secret of tenant T is named `${secretPrefix}${T}`: {"clientId", "clientSecret"}. */
  secretPrefix: string;
  /** How long credentials read once are used before they are read again (a rotation takes effect then). */
  ttlMs: number;
}

/**
 * Each tenant's Fetcher client credentials, from its own Secrets Manager secret: read on first use,
 * cached for a while, one read in flight per tenant. A tenant without them gets a 503 that names no
 * secret; the log line names the tenant, for the operator who must add them.
 */
export const tenantCredentials = ({ secretPrefix, ttlMs }: TenantCredentialOptions, readSecret: SecretReader, now: () => number) => {
  const cache = new Map<string, { credentials: Promise<ClientCredentials>; readAt: number }>();

  const read = async (tenantId: string): Promise<ClientCredentials> => {
    let text: string;
    try {
      text = await readSecret(`${secretPrefix}${tenantId}`);
    } catch (error) {
      logger.error('fetcher credentials of the tenant could not be read', { tenantId, reason: (error as Error)?.name ?? 'error' });
      throw new MatcherError('MTCH-0203', 'No Fetcher credentials are available for this tenant; try again later.', {
        retryAfterSeconds: MISSING_RETRY_AFTER_SECONDS,
      });
    }
    const parsed = credentialsJson.safeParse(
      (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      })(),
    );
    if (!parsed.success) {
      logger.error('fetcher credentials of the tenant are not {"clientId", "clientSecret"}', { tenantId });
      throw new MatcherError('MTCH-0203', 'No Fetcher credentials are available for this tenant; try again later.', {
        retryAfterSeconds: MISSING_RETRY_AFTER_SECONDS,
      });
    }
    withhold(parsed.data.clientSecret);
    return parsed.data;
  };

  return (call: Call): Promise<ClientCredentials> => {
    const held = cache.get(call.tenantId);
    if (held && now() - held.readAt < ttlMs) return held.credentials;
    const credentials = read(call.tenantId);
    cache.set(call.tenantId, { credentials, readAt: now() });
    // A failed read is not kept: the next call tries again.
    credentials.catch(() => cache.delete(call.tenantId));
    return credentials;
  };
};
