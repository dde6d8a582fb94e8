import ipaddr from 'ipaddr.js';
import { MatcherError } from './errors.ts';
import type { HostPolicy } from './host-policy.ts';
import type { HostResolver } from './ports.ts';

// A resolver that cannot answer now may well answer in a moment.
const LOOKUP_RETRY_AFTER_SECONDS = 5;

const refused = (host: string, message: string) =>
  new MatcherError('MTCH-0209', 'The host is not allowed.', { errors: [{ location: 'body.host', message, value: host }] });

/**
 * With the DNS check on, the check fails closed: a name that resolves inward is refused like an inward
 * address, a name that does not resolve is refused, and a name that cannot be checked now (the
 * resolver failing or slow) is a 503, never a pass.
 */
export const refuseInwardResolution = async (
  hostPolicy: HostPolicy,
  resolveHost: HostResolver | undefined,
  host: string,
): Promise<void> => {
  // An address literal is judged as written; there is nothing to resolve.
  if (!resolveHost || ipaddr.isValid(host)) return;
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (error) {
    throw new MatcherError('MTCH-0203', 'The host could not be checked now; try again shortly.', {
      retryAfterSeconds: LOOKUP_RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  if (addresses.length === 0) throw refused(host, 'host does not resolve');
  for (const address of addresses) {
    const verdict = hostPolicy.checkAddress(address);
    if (!verdict.allowed) throw refused(host, `host not allowed: resolves to a ${verdict.reason}`);
  }
};
