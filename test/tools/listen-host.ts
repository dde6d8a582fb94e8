import ipaddr from 'ipaddr.js';

export const DEFAULT_HOST = '127.0.0.1';

/** Whether a host reaches this machine only: a loopback address (IPv4-mapped included) or `localhost`. */
export const isLoopback = (host: string): boolean => {
  if (host.toLowerCase() === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
};

/**
 * The address `npm start` listens on: HOST (default 127.0.0.1). Anything but loopback needs `--expose`,
 * since the harness hands out dev tokens and its embedded parts trust whoever reaches them.
 */
export const listenHost = (hostText: string | undefined, expose: boolean): string => {
  const host = hostText?.trim() || DEFAULT_HOST;
  if (!isLoopback(host) && !expose) {
    throw new Error(
      `HOST=${host} is not a loopback address: the local API would serve dev tokens and unauthenticated stand-ins beyond this machine; pass --expose to listen there anyway`,
    );
  }
  return host;
};

/** A URL's host part: IPv6 literals in brackets. */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
