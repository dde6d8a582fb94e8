import { describe, expect, it } from 'vitest';
import { isLoopback, listenHost, urlHost } from '../../tools/listen-host.ts';

describe('listenHost: where npm start listens', () => {
  it('listens on 127.0.0.1 when HOST is unset or blank', () => {
    expect(listenHost(undefined, false)).toBe('127.0.0.1');
    expect(listenHost('  ', false)).toBe('127.0.0.1');
  });

  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])('accepts the loopback host %s', (host) => {
    expect(isLoopback(host)).toBe(true);
    expect(listenHost(host, false)).toBe(host);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.5', 'fd00::1', 'my-laptop.example.com', '::ffff:10.0.0.1'])(
    'refuses %s without --expose, naming HOST and --expose in one line',
    (host) => {
      expect(isLoopback(host)).toBe(false);
      expect(() => listenHost(host, false)).toThrow(
        new RegExp(`^HOST=${host.replaceAll('.', '\\.')} is not a loopback address: [^\\n]+ pass --expose`),
      );
      expect(listenHost(host, true)).toBe(host);
    },
  );

  it('brackets an IPv6 host in a URL', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
