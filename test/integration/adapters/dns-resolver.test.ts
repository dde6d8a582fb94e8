import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsResolver } from '../../../functions/adapters/dns-resolver.ts';
import { startFakeDnsServer, type DnsAnswer, type FakeDnsServer } from '../../doubles/fake-dns-server.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

/** createDnsResolver against a real DNS server on 127.0.0.1: what c-ares does with each kind of answer. */
const NAMES: Record<string, DnsAnswer> = {
  'db.example.com': { addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] },
  'v4only.example.com': { addresses: ['93.184.216.35'] },
  'servfail.example.com': { rcode: 'SERVFAIL' },
  'silent.example.com': { silent: true },
};

let dns: FakeDnsServer;
beforeAll(async () => {
  dns = await startFakeDnsServer(
    (name) => NAMES[name] ?? (name.startsWith('slow-') ? { addresses: ['93.184.216.36'], delayMs: 150 } : undefined),
  );
});
afterAll(() => dns.stop());

describe('createDnsResolver against a DNS server on loopback', () => {
  it('answers the A and AAAA records of a name that resolves', async () => {
    const resolve = createDnsResolver({ servers: [dns.server] });
    expect((await resolve('db.example.com')).sort()).toEqual(['2606:2800:220:1:248:1893:25c8:1946', '93.184.216.34']);
    expect(await resolve('v4only.example.com')).toEqual(['93.184.216.35']);
    expect(
      dns.queries
        .filter((q) => q.name === 'db.example.com')
        .map((q) => q.type)
        .sort(),
    ).toEqual(['A', 'AAAA']);
  });

  it('answers no address for NXDOMAIN: the name does not resolve', async () => {
    await expect(createDnsResolver({ servers: [dns.server] })('nx.example.com')).resolves.toEqual([]);
  });

  it('fails (LookupFailed) when the server answers SERVFAIL or never answers: nothing can be said of the name', async () => {
    const resolve = createDnsResolver({ servers: [dns.server], timeoutMs: 300 });
    await expect(resolve('servfail.example.com')).rejects.toMatchObject({ name: 'LookupFailed' });
    await expect(resolve('silent.example.com')).rejects.toMatchObject({
      name: 'LookupFailed',
      message: expect.stringContaining('ETIMEOUT'),
    });
  });

  it('never has more than maxConcurrent names in flight, however many slow names callers send', async () => {
    const resolve = createDnsResolver({ servers: [dns.server], maxConcurrent: 3 });
    const names = Array.from({ length: 15 }, (_, i) => `slow-${i}.example.com`);
    const answers = await Promise.all(names.map((name) => resolve(name)));
    expect(answers).toEqual(names.map(() => ['93.184.216.36']));
    expect(dns.queries.filter((q) => q.name.startsWith('slow-'))).toHaveLength(30);
    // The bound is reached (the lookups overlap) and never passed.
    expect(dns.maxConcurrentNames()).toBe(3);
  });
});

describe('the create route with HOST_DNS_CHECK=true on this resolver', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService(
      { HOST_DNS_CHECK: 'true', SCHEMA_DISCOVERY_BUDGET_MS: '0' },
      { adapters: { resolveHost: createDnsResolver({ servers: [dns.server], timeoutMs: 300 }) } },
    );
  });
  afterAll(() => service?.stop());

  it('creates a connection to a name that resolves to public addresses', async () => {
    const answer = await service.invoke({ body: validBody({ host: 'db.example.com' }) });
    expect(answer.status, answer.raw).toBe(201);
  });

  it('refuses NXDOMAIN with 422 MTCH-0209 "host does not resolve" at body.host, before Fetcher is called', async () => {
    const creates = service.fetcher.calls('create');
    const answer = await service.invoke({ body: validBody({ host: 'nx.example.com' }) });
    expect(answer.status, answer.raw).toBe(422);
    expect(answer.body).toMatchObject({
      code: 'MTCH-0209',
      errors: [{ location: 'body.host', message: 'host does not resolve', value: 'nx.example.com' }],
    });
    expect(service.fetcher.calls('create')).toBe(creates);
  });

  it('answers 503 with Retry-After when the DNS server never answers, and does not call Fetcher', async () => {
    const creates = service.fetcher.calls('create');
    const answer = await service.invoke({ body: validBody({ host: 'silent.example.com' }) });
    expect(answer.status, answer.raw).toBe(503);
    expect(answer.body.code).toBe('MTCH-0203');
    expect(answer.headers['retry-after']).toBe('5');
    expect(service.fetcher.calls('create')).toBe(creates);
  });
});
