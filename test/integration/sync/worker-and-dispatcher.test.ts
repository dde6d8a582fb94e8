import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ownCacheTable } from '../../support/own-table.ts';
import { validBody } from '../../support/service.ts';
import { startSyncService, type SyncService, syncServicesOnOwnTable } from '../../support/sync-service.ts';
import { sqsEventOf, syncMessages } from '../../tools/sqs-event.ts';

const { service, tableName } = syncServicesOnOwnTable('worker');

const statusOf = async (s: SyncService, tenantId: string) =>
  (await s.call('discovery-status', { token: await s.token({ tenantId }) })).body as { connectionCount: number; sync: { state: string } };

describe('the sync worker (the queue’s consumer)', () => {
  it('reports a tenant whose sync failed in batchItemFailures, and syncs the others of the batch', async () => {
    const s = await service();
    s.seedInFetcher(1, 2);
    // How many listing calls one tenant's sync makes: Fetcher fails every call after the first tenant's.
    const before = s.fetcher.calls('list');
    await s.sync(randomUUID());
    const perSync = s.fetcher.calls('list') - before;
    const [healthy, failing] = [randomUUID(), randomUUID()];
    s.fetcher.inject('list', { status: 503, body: { code: 'FET-0002', title: 'Service Unavailable', message: 'down' }, after: perSync });

    const event = sqsEventOf(syncMessages([healthy, failing]), s.queue.queueUrl);
    const response = await s.runWorker(event);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    expect(await statusOf(s, healthy)).toMatchObject({ connectionCount: 2, sync: { state: 'completed' } });
    expect(await statusOf(s, failing)).toMatchObject({ connectionCount: 0, sync: { state: 'incomplete' } });
  });

  it('counts a message for a tenant already being synced as done: that run covers it', async () => {
    const s = await service();
    s.seedInFetcher(1);
    await s.documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: `TENANT#${s.tenant}`,
          sk: 'LEASE#SYNC',
          owner: 'another-run',
          startedAt: new Date().toISOString(),
          expiresAtMs: Date.now() + 60_000,
        },
      }),
    );
    expect(await s.runWorker(s.tenant)).toEqual({ batchItemFailures: [] });
    expect(s.fetcher.calls('list')).toBe(0);
    expect(await statusOf(s, s.tenant)).toMatchObject({ sync: { state: 'running' } });
  });

  it('reports a message that names no tenant as failed, so it ends in the dead-letter queue', async () => {
    const s = await service();
    const event = sqsEventOf([{ body: '{"tenant":"x"}' }, ...syncMessages([s.tenant])], s.queue.queueUrl);
    expect(await s.runWorker(event)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
    expect(await statusOf(s, s.tenant)).toMatchObject({ sync: { state: 'completed' } });
  });
});

describe('the scheduled dispatcher', () => {
  it('sends one message per tenant of the registry, which a create and a refresh write', async () => {
    // A table of this test's own: the registry holds exactly the tenants below.
    const own = await ownCacheTable('registry');
    onTestFinished(() => own.drop());
    const s = await startSyncService(own);
    onTestFinished(() => s.stop());
    const [creator, refresher, idle] = [randomUUID(), randomUUID(), randomUUID()];
    const as = async (tenantId: string) => ({ token: await s.token({ tenantId }) });

    expect((await s.call('create-connection', { ...(await as(creator)), body: validBody() })).status).toBe(201);
    expect((await s.call('create-connection', { ...(await as(creator)), body: validBody() })).status).toBe(201);
    expect((await s.call('refresh-discovery', await as(refresher))).status).toBe(200);
    expect((await s.call('discovery-status', await as(idle))).status).toBe(200);

    expect(await s.dispatch()).toEqual({ tenants: 2 });
    expect(s.queue.messages.map((message) => JSON.parse(message.body)).sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual(
      [creator, refresher].sort().map((tenantId) => ({ tenantId })),
    );
  });
});
