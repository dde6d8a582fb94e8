import { createDnsResolver } from '../adapters/dns-resolver.ts';
import { createHostPolicy } from '../discovery/host-policy.ts';
import { part } from './container.ts';
import { requestOptions } from './request.ts';

/** The host policy of the routes that take a host (create, update): only their bundles carry it. */
export const hostPolicy = part(async (container) => createHostPolicy((await requestOptions(container)).hostPolicy));

/** The resolver of the DNS host check; none when HOST_DNS_CHECK is off. */
export const hostResolver = part(async (container) =>
  (await requestOptions(container)).hostPolicy.dnsCheck ? createDnsResolver() : undefined,
);
