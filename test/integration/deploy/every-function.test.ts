import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadLambdaEntry } from '../../support/lambda-entry.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

/**
 * One tenant's life through every function of functions/lambda-functions.ts, each doing its work
 * against DynamoDB Local, the fake queue and the fake Fetcher: every AWS action a function's role is
 * granted is one it sends here, so test/iam/ can hold the roles to these calls both ways.
 */
let service: TestService;
let tenantId: string;
let token: string;
let first: Answer;
let second: Answer;

const call = (route: string, options: Parameters<TestService['call']>[1] = {}) => service.call(route, { token, ...options });
const path = (answer: Answer) => ({ connectionId: answer.body.id as string });

beforeAll(async () => {
  // Multi-tenant, so this file's tenant sees only its own connections whatever else ran on the tables;
  // schemas always due, so each sync reads them again and stores the ones that changed.
  service = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true', SCHEMA_MAX_AGE: '0' });
  tenantId = randomUUID();
  token = await service.token({ tenantId, scope: 'discovery:write discovery:read' });
  first = await call('create-connection', { body: validBody({ configName: `first-${tenantId.slice(0, 8)}` }) });
  second = await call('create-connection', { body: validBody({ databaseType: 'MYSQL', port: 3306 }) });
});
afterAll(() => service.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  service.fetcher.clearFaults();
});

describe('every function, as it runs in AWS', () => {
  it('create-connection stores the connection, registers the tenant and snapshots the schema', () => {
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.schemaDiscovered).toBe(true);
  });

  it('list-connections reads one sparse index per filter, and pages with a signed cursor', async () => {
    const ids = [first.body.id, second.body.id].sort();
    const all = await call('list-connections', { query: { limit: '1' } });
    expect(all.status).toBe(200);
    const next = await call('list-connections', { query: { limit: '1', cursor: all.body.nextCursor } });
    expect([...all.body.connections, ...next.body.connections].map((item: { id: string }) => item.id).sort()).toEqual(ids);
    const filters: Record<string, string>[] = [
      { status: 'AVAILABLE' },
      { databaseType: 'MYSQL' },
      { status: 'AVAILABLE', databaseType: 'POSTGRESQL' },
    ];
    for (const query of filters) {
      const page = await call('list-connections', { query });
      expect(page.status, JSON.stringify(query)).toBe(200);
      expect(page.body.connections.length, JSON.stringify(query)).toBeGreaterThan(0);
    }
  });

  it('get-connection-schema reads the snapshot', async () => {
    expect((await call('get-connection-schema', { pathParameters: path(first) })).status).toBe(200);
  });

  it('test-connection reads the connection and asks Fetcher', async () => {
    expect((await call('test-connection', { pathParameters: path(first) })).status).toBe(200);
  });

  it('update-connection changes it once per Idempotency-Key, and forgets a key whose update failed', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const changed = await call('update-connection', { pathParameters: path(first), body: { port: 6543 }, headers });
    expect(changed.status).toBe(200);
    expect((await call('update-connection', { pathParameters: path(first), body: { port: 6543 }, headers })).raw).toBe(changed.raw);
    service.fetcher.inject('update', { status: 503, times: 1 });
    const failedKey = { 'idempotency-key': randomUUID() };
    expect((await call('update-connection', { pathParameters: path(first), body: { port: 7654 }, headers: failedKey })).status).toBe(503);
    expect((await call('update-connection', { pathParameters: path(first), body: { port: 7654 }, headers: failedKey })).status).toBe(200);
  });

  it('refresh-discovery syncs the tenant inline, storing the schemas that changed', async () => {
    service.fetcher.setSchema(first.body.configName, [{ name: 'refreshed', fields: ['id'] }]);
    const sent = service.queue.messages.length;
    expect((await call('refresh-discovery')).status).toBe(200);
    expect(service.queue.messages.length).toBe(sent);
  });

  it('refresh-discovery hands what does not fit in its inline budget to the queue', async () => {
    // 2.5 s inline, 1.5 s of it kept to finish: time for one slow schema read, not two.
    const env = {
      MULTI_TENANT: 'true',
      FETCHER_SHARED_IDENTITY: 'true',
      SCHEMA_MAX_AGE: '0',
      REFRESH_INLINE_BUDGET_MS: '2500',
      SYNC_SCHEMA_CONCURRENCY: '1',
    };
    const slow = await startService(env);
    try {
      const slowToken = await slow.token({ tenantId, scope: 'discovery:write' });
      for (let i = 0; i < 2; i++) expect((await slow.call('create-connection', { token: slowToken, body: validBody() })).status).toBe(201);
      slow.fetcher.inject('schema', { delayMs: 900 });
      const answer = await slow.call('refresh-discovery', { token: slowToken });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ complete: false });
      expect(slow.queue.messages.map((message) => JSON.parse(message.body) as unknown)).toEqual([{ tenantId }]);
    } finally {
      await slow.stop();
    }
  });

  it('discovery-status reads the summary', async () => {
    const status = await call('discovery-status');
    expect(status.status).toBe(200);
  });

  it('sync-dispatcher sends a message per registered tenant', async () => {
    const dispatch = await loadLambdaEntry('sync-dispatcher', service.env);
    const before = service.queue.messages.length;
    const result = (await dispatch({ source: 'matcher-discovery-schedule' })) as { tenants: number };
    expect(result.tenants).toBeGreaterThan(0);
    const sent = service.queue.messages.slice(before).map((message) => (JSON.parse(message.body) as { tenantId: string }).tenantId);
    expect(sent).toContain(tenantId);
  });

  it('sync-worker syncs the tenant of a message: its lease, the listing, the changes and the schemas', async () => {
    service.fetcher.setSchema(first.body.configName, [{ name: 'synced', fields: ['id', 'amount'] }]);
    const work = await loadLambdaEntry('sync-worker', service.env);
    const record = { messageId: randomUUID(), body: JSON.stringify({ tenantId }), eventSource: 'aws:sqs', attributes: {} };
    expect(await work({ Records: [record] }, 60_000)).toEqual({ batchItemFailures: [] });
  });

  it('delete-connection tombstones it and drops its snapshot', async () => {
    expect((await call('delete-connection', { pathParameters: path(second) })).status).toBe(204);
    expect((await call('get-connection', { pathParameters: path(second) })).status).toBe(404);
  });
});
