import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFetcherEmulator, type FetcherEmulatorServer } from '../../doubles/fetcher-server.ts';
import { startFakeFetcher } from '../../doubles/fake-fetcher.ts';

let fetcher: FetcherEmulatorServer;
beforeAll(async () => {
  fetcher = await startFetcherEmulator();
});
afterAll(() => fetcher.stop());

const create = (configName: string, headers: Record<string, string> = {}) =>
  fetch(`${fetcher.url}/v1/management/connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Product-Name': 'matcher', ...headers },
    body: JSON.stringify({
      configName,
      type: 'POSTGRESQL',
      host: 'db.example.com',
      port: 5432,
      databaseName: 'orders',
      userName: 'reader',
      password: 'secret',
    }),
  });

describe('the Fetcher emulator over HTTP (what npm start embeds)', () => {
  it('listens on loopback and answers JSON, echoing X-Request-Id', async () => {
    expect(fetcher.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await create('over-http', { 'X-Request-Id': 'req-42' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(fetcher.connections().map((c) => c.configName)).toEqual(['over-http']);
  });

  it('makes up an X-Request-Id when none is sent', async () => {
    const response = await fetch(`${fetcher.url}/health`);
    expect(await response.json()).toEqual({ status: 'healthy' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a delete with 204 and no body, and an unknown route with plain-text 404', async () => {
    const { id } = (await (await create('to-delete')).json()) as { id: string };
    const deleted = await fetch(`${fetcher.url}/v1/management/connections/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const unknown = await fetch(`${fetcher.url}/v2/else`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('text/plain');
    expect(await unknown.text()).toBe('Cannot GET /v2/else');
  });

  it('refuses a body over 1 MB with 413', async () => {
    const response = await fetch(`${fetcher.url}/v1/management/connections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Product-Name': 'matcher' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('Request Entity Too Large');
  });
});

describe('the fault layer over the emulator (what the tests use)', () => {
  it('seeds connections with any createdAt, counts calls per route, and faults the nth call only', async () => {
    const fake = await startFakeFetcher();
    try {
      const [old] = fake.seed([
        { configName: 'fourteen-months-old', createdAt: new Date(Date.now() - 14 * 30.44 * 86_400_000).toISOString() },
      ]);
      const day = old!.createdAt.slice(0, 10);
      const list = (query = '') =>
        fetch(`${fake.url}/v1/management/connections${query}`, { headers: { 'X-Product-Name': 'matcher' } }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { items: { id: string }[] },
        }));
      fake.inject('list', { status: 503, body: { code: 'FET-0002', title: 'Internal Server Error', message: 'down' }, after: 2, times: 1 });
      expect((await list()).body.items).toEqual([]);
      expect((await list(`?startDate=${day}`)).body.items.map((c) => c.id)).toEqual([old!.id]);
      expect((await list()).status).toBe(503);
      expect((await list()).status).toBe(200);
      await fetch(`${fake.url}/health`);
      expect([fake.calls('list'), fake.calls('health'), fake.calls('create')]).toEqual([4, 1, 0]);
    } finally {
      await fake.stop();
    }
  });
});
