import ipaddr from 'ipaddr.js';
import { parse } from 'tldts';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

export type HostVerdict = { allowed: true } | { allowed: false; reason: string };

export interface HostPolicy {
  /** Checks the host as written: syntax, names and IP literals. */
  check(host: string): HostVerdict;
  /** Checks one resolved address (the optional DNS check). */
  checkAddress(address: string): HostVerdict;
}

const ALLOWED: HostVerdict = { allowed: true };
const refuse = (reason: string): HostVerdict => ({ allowed: false, reason });

// Private ranges a deployment may open with ALLOWED_HOST_CIDRS; every other non-unicast range stays shut.
const OPENABLE_RANGES = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);

// Cloud metadata endpoints that sit inside openable ranges, so an allow-list can never open them.
// (AWS IMDS over IPv6, GCP's over IPv6, Alibaba's in CGNAT space.)
const ALWAYS_REFUSED: Cidr[] = ['fd00:ec2::/32', 'fd20:ce::254/128', '100.100.100.200/32'].map((cidr) => ipaddr.parseCIDR(cidr));

// Whole top-level domains that only ever resolve inward (the TLD, not a label inside a name).
// (svc: Kubernetes service names such as kubernetes.default.svc.)
const INTERNAL_TLDS = new Set([
  'localhost',
  'local',
  'internal',
  'localdomain',
  'home',
  'lan',
  'intranet',
  'corp',
  'private',
  'arpa',
  'svc',
]);

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/;

const inRanges = (address: Address, cidrs: Cidr[]): boolean =>
  cidrs.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));

// Any IPv6 whose first 80 bits are zero carries an IPv4 address (IPv4-mapped ::ffff:0:0/96 or the
// deprecated IPv4-compatible ::/96); judge the IPv4 address it names.
const embeddedIPv4 = (address: ipaddr.IPv6): ipaddr.IPv4 | undefined => {
  const [a, b, c, d, e, f, g, h] = address.parts;
  if (a !== 0 || b !== 0 || c !== 0 || d !== 0 || e !== 0 || (f !== 0 && f !== 0xffff)) return undefined;
  return new ipaddr.IPv4([g! >> 8, g! & 0xff, h! >> 8, h! & 0xff]);
};

export interface HostPolicyOptions {
  /** ALLOWED_HOST_CIDRS: the private ranges a deployment opens. */
  allowedCidrs: readonly string[];
  /** ALLOWED_HOST_SUFFIXES: private zones whose names are allowed as they are (e.g. svc.cluster.local). */
  allowedSuffixes?: readonly string[];
}

export const createHostPolicy = ({ allowedCidrs, allowedSuffixes = [] }: HostPolicyOptions): HostPolicy => {
  const openings = allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr) as Cidr);
  const zones = allowedSuffixes.map((suffix) => suffix.toLowerCase().replace(/^\.+|\.+$/g, ''));
  const inAllowedZone = (name: string) => zones.some((zone) => name.endsWith(`.${zone}`));

  const judge = (address: Address): HostVerdict => {
    if (address instanceof ipaddr.IPv6) {
      // :: and ::1 also have 80 zero bits; name them for what they are before unwrapping.
      const range = address.range();
      if (range === 'loopback' || range === 'unspecified') return refuse(`${range} address`);
      const v4 = embeddedIPv4(address);
      if (v4) return judge(v4);
    }
    if (inRanges(address, ALWAYS_REFUSED)) return refuse('cloud metadata address');
    const range = address.range();
    if (range === 'unicast') return ALLOWED;
    if (OPENABLE_RANGES.has(range) && inRanges(address, openings)) return ALLOWED;
    return refuse(`${range} address`);
  };

  const checkName = (host: string): HostVerdict => {
    const name = host.toLowerCase();
    const labels = name.split('.');
    if (!labels.every((label) => LABEL.test(label))) return refuse('expected a hostname or IP address');
    // A numeric last label makes resolvers read the whole name as an IPv4 address (127.1, 0x7f.1, 2130706433).
    if (NUMERIC_LABEL.test(labels.at(-1)!)) return refuse('non-canonical IPv4 address');
    // A zone the operator named is private on purpose: its names are checked for syntax only.
    if (inAllowedZone(name)) return ALLOWED;
    if (INTERNAL_TLDS.has(labels.at(-1)!)) return refuse('internal host name');
    // A dotless name only resolves through the resolver's search domains, which point inward
    // (metadata, kubernetes, a sibling service); so does a two-label one (service.namespace,
    // kubernetes.default, db.prod), whatever its last label.
    if (labels.length === 1) return refuse('single-label host name');
    if (labels.length === 2) return refuse('two-label host name');
    // A name outside the public DNS (no ICANN top-level domain) can only resolve inward.
    if (!parse(name, { allowPrivateDomains: false }).isIcann) return refuse('host name outside the public DNS');
    return ALLOWED;
  };

  return {
    check(host) {
      if (host.length === 0 || host.length > 253) return refuse('expected a hostname or IP address');
      if (host.includes(':')) {
        // An embedded IPv4 with a leading zero is read as decimal here and may be octal to a resolver.
        if (/(^|[:.])0\d/.test(host.slice(host.lastIndexOf(':') + 1)) && host.includes('.')) return refuse('non-canonical IPv4 address');
        // Zone ids (%eth0) and brackets are not part of an address literal Fetcher can dial.
        return ipaddr.IPv6.isValid(host) && !host.includes('%')
          ? judge(ipaddr.IPv6.parse(host))
          : refuse('expected a hostname or IP address');
      }
      if (ipaddr.IPv4.isValidFourPartDecimal(host)) return judge(ipaddr.IPv4.parse(host));
      return checkName(host);
    },
    checkAddress(address) {
      return ipaddr.isValid(address) ? judge(ipaddr.parse(address)) : refuse('unresolvable address');
    },
  };
};
