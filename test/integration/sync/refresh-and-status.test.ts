import { describe, expect, it } from 'vitest';
import { syncServicesOnOwnTable } from '../../support/sync-service.ts';
import { sqsEventOf } from '../../tools/sqs-event.ts';

const { service } = syncServicesOnOwnTable('refresh');

const DOWN = { code: 'FET-0002', title: 'Internal Server Error', message: 'The server encountered an unexpected error.' };

describe('POST /v1/discovery/refresh', () => {
  it('answers 200 {connectionsSynced} when the sync ends within the request, and queues nothing', async () => {
    const s = await service();
    s.seedInFetcher(1, 40, 400);
    const answer = await s.refresh();
    expect(answer).toMatchObject({ status: 200, body: { connectionsSynced: 3 } });
    expect(Object.keys(answer.body)).toEqual(['connectionsSynced']);
    expect(s.queue.messages).toEqual([]);
    expect((await s.status()).body).toMatchObject({ connectionCount: 3, sync: { state: 'completed', connectionsSynced: 3 } });
  });

  it('answers 202 {connectionsSynced, complete: false} when its budget runs out, and the queued sync finishes the rest', async () => {
    const s = await service({ REFRESH_INLINE_BUDGET_MS: '2500', SYNC_SCHEMA_CONCURRENCY: '1' });
    s.seedInFetcher(...Array.from({ length: 12 }, (_, i) => i));
    // Fetcher takes its time over each schema: twelve of them, one at a time, do not fit in the request.
    s.fetcher.inject('schema', { delayMs: 150, times: 12 });

    const answer = await s.refresh();
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ connectionsSynced: expect.any(Number), complete: false });
    expect(answer.body.connectionsSynced).toBeLessThanOrEqual(12);
    expect(s.queue.messages.map((m) => JSON.parse(m.body))).toEqual([{ tenantId: s.tenant }]);
    expect((await s.status()).body).toMatchObject({ sync: { state: 'incomplete' } });

    // What the queue's consumer does with that message.
    const [message] = s.queue.messages;
    expect(await s.runWorker({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(await s.runWorker(sqsEventOf([message!], s.queue.queueUrl))).toEqual({ batchItemFailures: [] });
    const items = [...(await s.items()).values()].filter((item) => String(item.sk).startsWith('CONN#'));
    expect(items).toHaveLength(12);
    expect(items.every((item) => item.status === 'AVAILABLE' && item.schemaDiscovered === true)).toBe(true);
    expect((await s.status()).body).toMatchObject({ connectionCount: 12, sync: { state: 'completed', connectionsSynced: 12 } });
  });

  it('answers 503 MTCH-0203 with Retry-After when Fetcher is down, and marks nothing UNREACHABLE', async () => {
    const s = await service();
    s.seedInFetcher(1, 2);
    expect((await s.refresh()).status).toBe(200);
    await s.fetcher.stop();

    const answer = await s.refresh();
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: 503, code: 'MTCH-0203' });
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    const status = await s.status();
    expect(status.body).toMatchObject({ fetcherHealthy: false, connectionCount: 2, sync: { state: 'incomplete' } });
    const connections = [...(await s.items()).values()].filter((item) => String(item.sk).startsWith('CONN#'));
    expect(connections.map((item) => item.status)).toEqual(['AVAILABLE', 'AVAILABLE']);
  });
});

describe('a listing that fails part way', () => {
  it('marks nothing UNREACHABLE and says so in the result and the status', async () => {
    const s = await service();
    const [recent, old] = s.seedInFetcher(1, 200);
    await s.sync(s.tenant);
    // Fetcher answers the first window, then fails on every call after it.
    s.fetcher.inject('list', { status: 500, body: DOWN, after: 1 });

    const result = await s.sync(s.tenant);
    expect(result).toMatchObject({ listed: 1, unreachable: 0, listingComplete: false, complete: false });
    expect(result.listingError).toMatchObject({ code: 'MTCH-0207' });
    const items = await s.items();
    expect(items.get(`CONN#${s.idOf(recent!)}`)).toMatchObject({ status: 'AVAILABLE' });
    expect(items.get(`CONN#${s.idOf(old!)}`)).toMatchObject({ status: 'AVAILABLE', schemaDiscovered: true });
    expect((await s.status()).body).toMatchObject({ connectionCount: 2, sync: { state: 'incomplete', connectionsSynced: 1 } });
  });
});

describe('GET /v1/discovery/status', () => {
  it('is idle before any sync, and reports Fetcher unhealthy when its /health fails', async () => {
    const s = await service();
    expect(await s.status()).toMatchObject({ status: 200, body: { fetcherHealthy: true, connectionCount: 0, sync: { state: 'idle' } } });
    s.fetcher.inject('health', { status: 503, body: { status: 'unhealthy', reason: 'self-probe failed' } });
    expect((await s.status()).body).toEqual({ fetcherHealthy: false, connectionCount: 0, sync: { state: 'idle' } });
  });

  it('answers in at most two DynamoDB reads and no write, whatever the number of connections', async () => {
    const s = await service();
    s.seedInFetcher(...Array.from({ length: 60 }, (_, i) => i * 3));
    await s.sync(s.tenant);
    s.dynamodb.reset();
    const { status, body } = await s.status();
    expect(status).toBe(200);
    expect(body).toMatchObject({ connectionCount: 60, sync: { state: 'completed', connectionsSynced: 60 } });
    expect(s.dynamodb.reads()).toBeLessThanOrEqual(2);
    expect(s.dynamodb.writes()).toBe(0);
  });
});
