import * as z from 'zod';
import type { HostPolicyOptions } from '../discovery/host-policy.ts';
import { cidrList, flag, nonNegativeInt, positiveInt } from './environment.ts';
import { defineSection } from './section.ts';

const schema = z.object({
  MAX_BODY_BYTES: positiveInt(65_536),
  ALLOWED_HOST_CIDRS: cidrList,
  ALLOWED_HOST_SUFFIXES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/, 'expected DNS suffixes such as svc.cluster.local'))),
  HOST_DNS_CHECK: flag,
  SCHEMA_DISCOVERY_BUDGET_MS: nonNegativeInt(3_000),
});

export interface RequestOptions {
  maxBodyBytes: number;
  hostPolicy: HostPolicyOptions & { dnsCheck: boolean };
  /** Time the create (and the update) may spend discovering the schema; 0 turns it off. */
  schemaDiscoveryBudgetMs: number;
}

/** What a request that carries a connection may hold: its size and its host. */
export const requestSection = defineSection({
  schema,
  build: (e): RequestOptions => ({
    maxBodyBytes: e.MAX_BODY_BYTES,
    hostPolicy: { allowedCidrs: e.ALLOWED_HOST_CIDRS, allowedSuffixes: e.ALLOWED_HOST_SUFFIXES, dnsCheck: e.HOST_DNS_CHECK },
    schemaDiscoveryBudgetMs: e.SCHEMA_DISCOVERY_BUDGET_MS,
  }),
});
