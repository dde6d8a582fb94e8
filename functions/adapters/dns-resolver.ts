import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../discovery/ports.ts';

const DNS_TIMEOUT_MS = 1_000;

/** Every address the system resolver gives for a name; a slow lookup fails rather than waits. */
export const createDnsResolver =
  (timeoutMs = DNS_TIMEOUT_MS): HostResolver =>
  async (host) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DNS lookup timed out')), timeoutMs);
    });
    try {
      const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
      return answers.map((answer) => answer.address);
    } finally {
      clearTimeout(timer);
    }
  };
