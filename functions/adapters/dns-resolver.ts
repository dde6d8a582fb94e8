import { Resolver } from 'node:dns/promises';
import type { HostResolver } from '../discovery/ports.ts';

const DNS_TIMEOUT_MS = 1_000;
// Lookups of callers' host names never hold more than this many names (an A and an AAAA query each) at once.
const MAX_CONCURRENT_LOOKUPS = 4;
// What says the name has no address, as opposed to the resolver failing to say anything.
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);

/** A lookup that could not be answered (a timeout, SERVFAIL, a refused query): nothing can be said of the name. */
export class LookupFailed extends Error {
  override name = 'LookupFailed';
}

/**
 * The A and AAAA records of a name, from the DNS directly (c-ares, not the libuv thread pool that the
 * container's own lookups for Fetcher and DynamoDB share), with a short timeout and a cap on the
 * lookups in flight. No record: an empty list. A resolver failure: LookupFailed.
 */
export const createDnsResolver = ({
  timeoutMs = DNS_TIMEOUT_MS,
  maxConcurrent = MAX_CONCURRENT_LOOKUPS,
  servers,
}: {
  timeoutMs?: number;
  maxConcurrent?: number;
  /** The DNS servers to ask (`address[:port]`); the system's when unset. */
  servers?: string[];
} = {}): HostResolver => {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers) resolver.setServers(servers);
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  const records = (lookup: Promise<string[]>) =>
    lookup.catch((error: NodeJS.ErrnoException) => {
      if (NO_SUCH_NAME.has(error.code ?? '')) return [];
      throw new LookupFailed(`the lookup failed (${error.code ?? 'error'})`);
    });

  return async (host) => {
    await slot();
    try {
      const [v4, v6] = await Promise.all([records(resolver.resolve4(host)), records(resolver.resolve6(host))]);
      return [...v4, ...v6];
    } finally {
      release();
    }
  };
};
