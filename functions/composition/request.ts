import { createDnsResolver } from '../adapters/dns-resolver.ts';
import { requestSection } from '../config/request-section.ts';
import { createHostPolicy } from '../discovery/host-policy.ts';
import { part, sectionPart } from './container.ts';

export const requestOptions = sectionPart(requestSection);

export const hostPolicy = part(async (container) => createHostPolicy((await requestOptions(container)).hostPolicy));

/** The resolver of the DNS host check; none when HOST_DNS_CHECK is off. */
export const hostResolver = part(async (container) =>
  (await requestOptions(container)).hostPolicy.dnsCheck ? createDnsResolver() : undefined,
);
