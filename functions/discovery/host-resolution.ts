import { MatcherError } from './errors.ts';
import type { HostPolicy } from './host-policy.ts';
import type { HostResolver } from './ports.ts';

/** With the DNS check on, a name that resolves inward is refused like an inward address. */
export const refuseInwardResolution = async (
  hostPolicy: HostPolicy,
  resolveHost: HostResolver | undefined,
  host: string,
): Promise<void> => {
  if (!resolveHost) return;
  // A failed lookup is not a refusal: Fetcher resolves again when it dials, and may see other records.
  const addresses = await resolveHost(host).catch(() => []);
  for (const address of addresses) {
    const verdict = hostPolicy.checkAddress(address);
    if (!verdict.allowed) {
      throw new MatcherError('MTCH-0209', 'The host is not allowed.', {
        errors: [{ location: 'body.host', message: `host not allowed: resolves to a ${verdict.reason}`, value: host }],
      });
    }
  }
};
