import type { ConnectionCache } from '../../functions/discovery/cache-ports.ts';
import type { FetcherPort } from '../../functions/discovery/ports.ts';

/** A port whose methods a test did not give throw if called: a test names exactly what it scripts. */
const partial = <T extends object>(name: string, given: Partial<T>): T =>
  new Proxy(given, {
    get: (target, property) =>
      // Not a promise: `then` must read as absent, or awaiting the port would call it.
      property in target || typeof property === 'symbol' || property === 'then'
        ? target[property as keyof T]
        : () => Promise.reject(new Error(`${name}.${String(property)} is not scripted by this test`)),
  }) as T;

export const partialFetcher = (given: Partial<FetcherPort>) => partial<FetcherPort>('FetcherPort', given);
export const partialCache = (given: Partial<ConnectionCache>) => partial<ConnectionCache>('ConnectionCache', given);
