import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

const HOSTILE = [
  '127.0.0.1',
  '::1',
  '::ffff:127.0.0.1',
  '127.1',
  '2130706433',
  '0x7f.0.0.1',
  '0177.0.0.1',
  '0.0.0.0',
  '169.254.169.254',
  'fd00:ec2::254',
  '::ffff:a9fe:a9fe',
  '10.0.0.1',
  '172.16.0.1',
  '192.168.1.1',
  '100.64.0.1',
  'fc00::1',
  '224.0.0.1',
  '255.255.255.255',
  '2001:db8::1',
  'localhost',
  'db.localhost',
  'printer.local',
  'metadata.google.internal',
  'metadata',
  'db.example.com:5432',
  'user@db.example.com',
  'db.example.com/x',
  'dб.example.com',
  'db.example.com.',
  '[::1]',
];

/** A scripted resolver: the DNS check's only I/O, replaced so tests need no network. */
const DNS: Record<string, string[]> = {
  'rebinds.example.com': ['93.184.216.34', '127.0.0.1'],
  'private.example.com': ['10.1.2.3'],
  'public.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'mapped.example.com': ['::ffff:169.254.169.254'],
};
const resolveHost = async (host: string) => {
  // The resolver failing (SERVFAIL, a timeout) is an error; a name with no record is an empty answer.
  if (host === 'servfail.example.com') throw Object.assign(new Error('queryA ESERVFAIL servfail.example.com'), { name: 'LookupFailed' });
  return DNS[host] ?? [];
};

let service: TestService;
let dnsChecked: TestService;
beforeAll(async () => {
  service = await startService({ ALLOWED_HOST_CIDRS: '10.20.0.0/16' });
  dnsChecked = await startService({ HOST_DNS_CHECK: 'true' }, { adapters: { resolveHost } });
});
afterAll(async () => {
  await service.stop();
  await dnsChecked.stop();
});

const expectRefused = async (target: TestService, host: string) => {
  const answer = await target.invoke({ body: validBody({ host }) });
  expect(answer.status).toBe(422);
  expect(answer.body.code).toBe('MTCH-0209');
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors[0]).toMatchObject({ location: 'body.host', message: expect.stringMatching(/^host not allowed: /) });
};

describe('host policy at the endpoint (SSRF)', () => {
  it.each(HOSTILE)('refuses %j with 422 MTCH-0209 at body.host and never calls Fetcher', async (host) => {
    await expectRefused(service, host);
    expect(service.fetcher.requests).toEqual([]);
  });

  it('lets an allow-listed private address through to Fetcher', async () => {
    expect((await service.invoke({ body: validBody({ host: '10.20.1.5' }) })).status).toBe(201);
    expect(service.fetcher.requests.filter((r) => r.route === 'create')).toHaveLength(1);
  });

  describe('with HOST_DNS_CHECK=true', () => {
    it.each(['rebinds.example.com', 'private.example.com', 'mapped.example.com'])(
      'refuses %s, which resolves inward, before Fetcher is called',
      async (host) => {
        await expectRefused(dnsChecked, host);
        expect(dnsChecked.fetcher.requests).toEqual([]);
      },
    );

    it('allows a name whose every answer is public', async () => {
      expect((await dnsChecked.invoke({ body: validBody({ host: 'public.example.com' }) })).status).toBe(201);
    });

    it('fails closed: a name that does not resolve is refused at body.host, before Fetcher is called', async () => {
      const answer = await dnsChecked.invoke({ body: validBody({ host: 'unknown.example.com' }) });
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        code: 'MTCH-0209',
        errors: [{ location: 'body.host', message: 'host does not resolve', value: 'unknown.example.com' }],
      });
      expect(dnsChecked.fetcher.requests.filter((r) => r.route === 'create')).toHaveLength(1);
    });

    it('fails closed: a resolver that cannot answer now is a 503 with Retry-After, never a pass', async () => {
      const before = dnsChecked.fetcher.requests.length;
      const answer = await dnsChecked.invoke({ body: validBody({ host: 'servfail.example.com' }) });
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('MTCH-0203');
      expect(answer.headers['retry-after']).toBe('5');
      expect(dnsChecked.fetcher.requests.length).toBe(before);
    });
  });
});
