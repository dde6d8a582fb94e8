import { describe, expect, it } from 'vitest';
import { createHostPolicy } from '../../../functions/discovery/host-policy.ts';

const policy = createHostPolicy({ allowedCidrs: [] });
const openPolicy = createHostPolicy({ allowedCidrs: ['10.20.0.0/16', '192.168.1.0/24', '100.64.0.0/10', 'fd12:3456::/32'] });

/** Hosts that point inward or are not hosts at all, with the reason the policy gives. */
const HOSTILE: [string, string][] = [
  // loopback, every spelling
  ['127.0.0.1', 'loopback address'],
  ['127.255.255.254', 'loopback address'],
  ['::1', 'loopback address'],
  ['0:0:0:0:0:0:0:1', 'loopback address'],
  ['::ffff:127.0.0.1', 'loopback address'],
  ['::ffff:7f00:1', 'loopback address'],
  ['::127.0.0.1', 'loopback address'],
  ['::7f00:1', 'loopback address'],
  ['::7f00:2', 'loopback address'],
  // non-canonical IPv4 spellings that resolvers read as 127.0.0.1 or 169.254.169.254
  ['127.1', 'non-canonical IPv4 address'],
  ['127.0.1', 'non-canonical IPv4 address'],
  ['2130706433', 'non-canonical IPv4 address'],
  ['0x7f000001', 'non-canonical IPv4 address'],
  ['0x7f.0.0.1', 'non-canonical IPv4 address'],
  ['0177.0.0.1', 'non-canonical IPv4 address'],
  ['127.000.000.001', 'non-canonical IPv4 address'],
  ['017700000001', 'non-canonical IPv4 address'],
  ['2852039166', 'non-canonical IPv4 address'],
  ['169.254.169.254.', 'expected a hostname or IP address'],
  ['256.1.1.1', 'non-canonical IPv4 address'],
  // unspecified, link-local and cloud metadata
  ['0.0.0.0', 'unspecified address'],
  ['::', 'unspecified address'],
  ['169.254.169.254', 'linkLocal address'],
  ['169.254.170.2', 'linkLocal address'],
  ['fe80::1', 'linkLocal address'],
  ['fd00:ec2::254', 'cloud metadata address'],
  ['::ffff:169.254.169.254', 'linkLocal address'],
  ['::ffff:a9fe:a9fe', 'linkLocal address'],
  ['100.100.100.200', 'cloud metadata address'],
  // private ranges, not allow-listed
  ['10.0.0.1', 'private address'],
  ['172.16.5.4', 'private address'],
  ['192.168.0.10', 'private address'],
  ['100.64.0.1', 'carrierGradeNat address'],
  ['fc00::1', 'uniqueLocal address'],
  ['fd12:3456::1', 'uniqueLocal address'],
  ['::ffff:10.0.0.1', 'private address'],
  ['::ffff:192.168.1.1', 'private address'],
  // IPv4-compatible (::/96) forms name the IPv4 address too
  ['::a00:1', 'private address'],
  ['::10.0.0.1', 'private address'],
  ['::a9fe:a9fe', 'linkLocal address'],
  ['::6464:64c8', 'cloud metadata address'],
  ['0:0:0:0:0:0:0:0', 'unspecified address'],
  // multicast, broadcast, reserved and special-purpose
  ['224.0.0.1', 'multicast address'],
  ['ff02::1', 'multicast address'],
  ['255.255.255.255', 'broadcast address'],
  ['240.0.0.1', 'reserved address'],
  ['192.0.0.8', 'reserved address'],
  ['192.0.2.10', 'reserved address'],
  ['198.18.0.1', 'reserved address'],
  ['2001:db8::1', 'reserved address'],
  ['64:ff9b::7f00:1', 'rfc6052 address'],
  ['2002:7f00:1::1', '6to4 address'],
  ['2001::1', 'teredo address'],
  ['100::1', 'discard address'],
  // names that only ever resolve inward
  ['localhost', 'internal host name'],
  ['LOCALHOST', 'internal host name'],
  ['api.localhost', 'internal host name'],
  ['printer.local', 'internal host name'],
  ['metadata.google.internal', 'internal host name'],
  ['db.corp.internal', 'internal host name'],
  ['metadata', 'single-label host name'],
  ['instance-data', 'single-label host name'],
  ['postgres', 'single-label host name'],
  ['kubernetes.default.svc', 'internal host name'],
  ['redis.prod.svc', 'internal host name'],
  ['fd20:ce::254', 'cloud metadata address'],
  ['1.0.0.127.in-addr.arpa', 'internal host name'],
  ['router.home', 'internal host name'],
  ['db.localdomain', 'internal host name'],
  ['nas.lan', 'internal host name'],
  ['wiki.intranet', 'internal host name'],
  ['erp.corp', 'internal host name'],
  ['db.private', 'internal host name'],
  // not a host name at all
  ['db.example.com:5432', 'expected a hostname or IP address'],
  ['https://db.example.com', 'expected a hostname or IP address'],
  ['user@db.example.com', 'expected a hostname or IP address'],
  ['db.example.com/path', 'expected a hostname or IP address'],
  ['db example.com', 'expected a hostname or IP address'],
  ['db.example.com\u0000.evil.com', 'expected a hostname or IP address'],
  ['dб.example.com', 'expected a hostname or IP address'],
  ['xn--d1a.example.com.', 'expected a hostname or IP address'],
  ['db..example.com', 'expected a hostname or IP address'],
  ['-db.example.com', 'expected a hostname or IP address'],
  ['db-.example.com', 'expected a hostname or IP address'],
  ['db_1.example.com', 'expected a hostname or IP address'],
  [`${'a'.repeat(64)}.example.com`, 'expected a hostname or IP address'],
  ['[::1]', 'expected a hostname or IP address'],
  ['fe80::1%eth0', 'expected a hostname or IP address'],
  ['::ffff:127.0.0.1:5432', 'expected a hostname or IP address'],
  ['*.example.com', 'expected a hostname or IP address'],
  // names that resolve inward through search domains, or outside the public DNS
  ['kubernetes.default', 'two-label host name'],
  ['db.prod', 'two-label host name'],
  ['a.b', 'two-label host name'],
  ['3com.com', 'two-label host name'],
  ['xn--d1acufc.xn--p1ai', 'two-label host name'],
  ['svc.cluster.local', 'internal host name'],
  ['db.ns.svc.cluster.local', 'internal host name'],
  ['db.team.example', 'host name outside the public DNS'],
  ['db.eu.kubernetes.default', 'host name outside the public DNS'],
  // an embedded IPv4 with a leading zero is octal to some resolvers
  ['::ffff:0177.0.0.1', 'non-canonical IPv4 address'],
  ['::ffff:8.8.08.8', 'non-canonical IPv4 address'],
];

/** Hosts a real deployment connects to. */
const LEGITIMATE = [
  'db.example.com',
  'prod-ledger.cluster-abc123.us-east-1.rds.amazonaws.com',
  'db.xn--d1acufc.xn--p1ai',
  'internal.example.com',
  'localhost.example.com',
  'my-local.example.org',
  'db.3com.com',
  'ledger.x.co.uk',
  '8.8.8.8',
  '93.184.216.34',
  '1.1.1.1',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '::808:808',
  '::8.8.8.8',
  '::1:0:0:0:1',
  `${'a'.repeat(63)}.example.com`,
];

describe('host policy', () => {
  it('has the table sizes the issue asks for', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
    expect(LEGITIMATE.length).toBeGreaterThanOrEqual(10);
  });

  it.each(HOSTILE)('refuses %j (%s)', (host, reason) => {
    expect(policy.check(host)).toEqual({ allowed: false, reason });
  });

  it.each(LEGITIMATE)('allows %j', (host) => {
    expect(policy.check(host)).toEqual({ allowed: true });
  });

  it.each(['10.20.30.40', '192.168.1.200', '100.64.1.1', 'fd12:3456::10', '::ffff:10.20.0.1'])(
    'allows %j when its private range is in ALLOWED_HOST_CIDRS',
    (host) => {
      expect(policy.check(host).allowed).toBe(false);
      expect(openPolicy.check(host)).toEqual({ allowed: true });
    },
  );

  it.each(['10.21.0.1', '192.168.2.1', '127.0.0.1', '169.254.169.254', 'fd00:ec2::254', '100.100.100.200'])(
    'keeps %j refused even with an allow-list (outside it, or never openable)',
    (host) => {
      expect(openPolicy.check(host).allowed).toBe(false);
    },
  );

  it('never lets an allow-list open loopback or link-local', () => {
    const reckless = createHostPolicy({ allowedCidrs: ['0.0.0.0/0', '::/0'] });
    expect(reckless.check('127.0.0.1').allowed).toBe(false);
    expect(reckless.check('169.254.169.254').allowed).toBe(false);
    expect(reckless.check('::1').allowed).toBe(false);
    expect(reckless.check('10.0.0.1').allowed).toBe(true);
  });

  it('judges resolved addresses the same way', () => {
    expect(policy.checkAddress('93.184.216.34')).toEqual({ allowed: true });
    expect(policy.checkAddress('10.0.0.8')).toEqual({ allowed: false, reason: 'private address' });
    expect(policy.checkAddress('::ffff:127.0.0.1')).toEqual({ allowed: false, reason: 'loopback address' });
    expect(policy.checkAddress('not-an-ip')).toEqual({ allowed: false, reason: 'unresolvable address' });
  });

  it('allows a name of exactly 253 characters and refuses 254', () => {
    const name = (length: number) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 196)}.com`;
    expect(name(253)).toHaveLength(253);
    expect(policy.check(name(253))).toEqual({ allowed: true });
    expect(policy.check(name(254))).toEqual({ allowed: false, reason: 'expected a hostname or IP address' });
    expect(policy.check('')).toEqual({ allowed: false, reason: 'expected a hostname or IP address' });
  });

  it.each(['2400::a00:1', '0:2400::a00:1', '0:0:2400::a00:1', '0:0:0:2400::a00:1', '0:0:0:0:2400:0:a00:1', '::1:a00:1'])(
    'judges %j as IPv6: only ::/96 and ::ffff:0:0/96 carry an IPv4 address (here 10.0.0.1)',
    (host) => {
      expect(policy.check(host)).toEqual({ allowed: true });
    },
  );

  it.each(['db.example.a1', 'db.example.1a', 'db.0xg'])('reads the last label of %j as numeric only when all of it is', (host) => {
    // A name, not a mangled IPv4 address: refused only because its suffix is private, so a listed zone opens it.
    expect(policy.check(host)).not.toMatchObject({ reason: expect.stringMatching(/IPv4|address/) });
    expect(createHostPolicy({ allowedCidrs: [], allowedSuffixes: [host.slice(3)] }).check(host)).toEqual({ allowed: true });
  });

  it('allows the names of a private zone the operator lists in ALLOWED_HOST_SUFFIXES, and only those', () => {
    const zoned = createHostPolicy({ allowedCidrs: [], allowedSuffixes: ['svc.cluster.local', '.corp.example.'] });
    expect(zoned.check('ledger.payments.svc.cluster.local')).toEqual({ allowed: true });
    expect(zoned.check('db.corp.example')).toEqual({ allowed: true });
    expect(zoned.check('db.other.local')).toEqual({ allowed: false, reason: 'internal host name' });
    // A listed zone opens names, never inward addresses.
    expect(zoned.check('127.0.0.1')).toEqual({ allowed: false, reason: 'loopback address' });
  });
});
