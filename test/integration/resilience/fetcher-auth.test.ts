import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTokenService, type FakeTokenService } from '../../doubles/fake-token-service.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

const CLIENT_ID = 'matcher-discovery';
const CLIENT_SECRET = 'CANARY-client-secret-3b9d1f';

let tokens: FakeTokenService;
let service: TestService;

const start = async (expiresIn: number, delayMs = 0) => {
  tokens = await startFakeTokenService({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, expiresIn, delayMs });
  service = await startService(
    {
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: tokens.url,
      FETCHER_CLIENT_ID: CLIENT_ID,
      FETCHER_CLIENT_SECRET: CLIENT_SECRET,
      SCHEMA_DISCOVERY_BUDGET_MS: '0',
    },
    { fetcher: { token: (token) => tokens.valid(token) } },
  );
};
afterEach(async () => {
  await service.stop();
  await tokens.stop();
});

describe('Fetcher auth: client_credentials', () => {
  it('gets a token once and reuses it until shortly before expiry', async () => {
    await start(3600);
    for (let i = 0; i < 5; i++) expect((await service.invoke({ body: validBody() })).status).toBe(201);
    expect(tokens.requests()).toBe(1);
    const sent = service.fetcher.requests.map((r) => r.headers.authorization);
    expect(new Set(sent)).toEqual(new Set([`Bearer ${tokens.issued[0]}`]));
  });

  it('refreshes a token that is about to expire', async () => {
    await start(2); // refreshed after half its life
    expect((await service.invoke({ body: validBody() })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await service.invoke({ body: validBody() })).status).toBe(201);
    expect(tokens.requests()).toBe(2);
  });

  it('keeps one refresh in flight at a time', async () => {
    await start(3600, 200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => service.invoke({ body: validBody() })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(tokens.requests()).toBe(1);
  });

  it('after a 401 gets a new token and tries once more', async () => {
    await start(3600);
    expect((await service.invoke({ body: validBody() })).status).toBe(201);
    tokens.revoke(tokens.issued[0]!);
    const creates = service.fetcher.requests.length;
    const body = validBody();
    const answer = await service.invoke({ body });
    expect(answer.status).toBe(201);
    expect(tokens.requests()).toBe(2);
    const retried = service.fetcher.requests.slice(creates);
    expect(retried.map((r) => r.headers.authorization)).toEqual([`Bearer ${tokens.issued[0]}`, `Bearer ${tokens.issued[1]}`]);
    expect(service.fetcher.connections().filter((c) => c.configName === body.configName)).toHaveLength(1);
  });

  it('answers 502 when Fetcher still refuses the fresh token', async () => {
    await start(3600);
    service.fetcher.inject('create', { status: 401, body: 'Invalid Token', headers: { 'Content-Type': 'text/plain' } });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
    expect(answer.body.code).toBe('MTCH-0207');
    expect(service.fetcher.requests.filter((r) => r.route === 'create')).toHaveLength(2);
    expect(answer.headers).not.toHaveProperty('www-authenticate');
  });

  it('answers 502 when the token service refuses our credentials, and never logs the client secret', async () => {
    tokens = await startFakeTokenService({ clientId: CLIENT_ID, clientSecret: 'another-secret', expiresIn: 3600 });
    service = await startService({
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: tokens.url,
      FETCHER_CLIENT_ID: CLIENT_ID,
      FETCHER_CLIENT_SECRET: CLIENT_SECRET,
    });
    const output = captureOutput();
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
    expect(service.fetcher.requests).toEqual([]);
    expect(answer.raw + output.text()).not.toContain(CLIENT_SECRET);
  });
});

describe('a token service that hangs', () => {
  it('answers 504 without sending anything to Fetcher or looking anything up', async () => {
    tokens = await startFakeTokenService({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, expiresIn: 3600, delayMs: 3_000 });
    service = await startService({
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: tokens.url,
      FETCHER_CLIENT_ID: CLIENT_ID,
      FETCHER_CLIENT_SECRET: CLIENT_SECRET,
      FETCHER_TIMEOUT_MS: '400',
    });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(504);
    expect(service.fetcher.requests).toEqual([]);
  });
});
