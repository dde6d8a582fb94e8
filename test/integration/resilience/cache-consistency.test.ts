import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConnectionCache } from '../../../functions/adapters/dynamodb/dynamodb-connection-cache.ts';
import { createSchemaSnapshots } from '../../../functions/adapters/dynamodb/dynamodb-schema-snapshots.ts';
import type { ConnectionCache } from '../../../functions/discovery/cache-ports.ts';
import type { CachedConnection, DiscoveredTable } from '../../../functions/discovery/connection.ts';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { canonicalTables, schemaFingerprint } from '../../../functions/discovery/schema-fingerprint.ts';
import { localClient } from '../../doubles/dynamodb-local.ts';
import { testCall } from '../../support/call.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

const documents = DynamoDBDocumentClient.from(localClient(inject('dynamodbEndpoint')));
const snapshots = createSchemaSnapshots(documents, TEST_TABLES.cache);
const cache = createConnectionCache(documents, TEST_TABLES.cache, snapshots);
afterAll(() => documents.destroy());

const observation = (tenantId: string, at: string, overrides: Partial<CachedConnection> = {}): CachedConnection => {
  const fetcherConnectionId = overrides.fetcherConnectionId ?? '0190f3c2-7b1a-7c3e-9d2f-1a2b3c4d5e6f';
  return {
    tenantId,
    id: connectionId(tenantId, fetcherConnectionId),
    fetcherConnectionId,
    configName: 'ledger',
    databaseType: 'POSTGRESQL',
    host: 'db.example.com',
    port: 5432,
    databaseName: 'ledger',
    userName: 'ro',
    productName: 'matcher',
    status: 'AVAILABLE',
    schemaDiscovered: false,
    lastSeenAt: new Date(at),
    ...overrides,
  };
};

const call = (tenantId: string) => testCall({ tenantId, requestId: 'cache-test' });

/** Every snapshot item of a connection, whatever its version. */
const snapshotItemsOf = async (c: CachedConnection) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: TEST_TABLES.cache,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${c.tenantId}`, ':prefix': `SCHEMA#${c.id}#` },
      }),
    )
  ).Items ?? [];

const snapshotOf = (tables: DiscoveredTable[], at: string) => ({
  tables: canonicalTables(tables),
  fingerprint: schemaFingerprint(tables),
  observedAt: new Date(at),
});

/** The connection as the cache holds it now, snapshot pointer included. */
const current = async (c: CachedConnection) => (await cache.findConnection(c.id, testCall({ tenantId: c.tenantId })))!;

const read = async (c: CachedConnection) =>
  (await documents.send(new GetCommand({ TableName: TEST_TABLES.cache, Key: { pk: `TENANT#${c.tenantId}`, sk: `CONN#${c.id}` } }))).Item;

describe('conditional cache writes', () => {
  it('keeps the newest observation whatever order the writes land in', async () => {
    const tenant = randomUUID();
    const newer = observation(tenant, '2026-11-28T10:00:02.000Z', { host: 'new.example.com', schema: 'ledger' });
    const older = observation(tenant, '2026-11-28T10:00:01.000Z', { host: 'old.example.com' });
    expect(await cache.saveConnection(newer, newer.lastSeenAt, call(tenant))).toBe('created');
    expect(await cache.saveConnection(older, older.lastSeenAt, call(tenant))).toBe('stale');
    expect(await read(newer)).toMatchObject({ host: 'new.example.com', schema: 'ledger', lastSeenAt: '2026-11-28T10:00:02.000Z' });
  });

  it('lets a newer observation replace an older one, dropping attributes it no longer has', async () => {
    const tenant = randomUUID();
    const first = observation(tenant, '2026-11-28T10:00:01.000Z', { schema: 'old_schema' });
    await cache.saveConnection(first, first.lastSeenAt, call(tenant));
    const createdAt = (await read(first))!.createdAt;
    const second = observation(tenant, '2026-11-28T10:00:05.000Z', { port: 6543 });
    expect(await cache.saveConnection(second, second.lastSeenAt, call(tenant))).toBe('saved');
    const item = (await read(first))!;
    expect(item).toMatchObject({ port: 6543, createdAt });
    expect(item).not.toHaveProperty('schema');
  });

  it('never lets an older snapshot replace a newer one, nor mark the schema discovered twice', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:00.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    expect(
      await snapshots.saveSnapshot(connection, snapshotOf([{ name: 'new_table', columns: [] }], '2026-11-28T10:00:05.000Z'), call(tenant)),
    ).toBe('saved');
    expect(
      await snapshots.saveSnapshot(connection, snapshotOf([{ name: 'old_table', columns: [] }], '2026-11-28T10:00:01.000Z'), call(tenant)),
    ).toBe('stale');
    const now = await current(connection);
    expect(now.schemaDiscovered).toBe(true);
    expect(await snapshots.readSnapshot(now, call(tenant))).toEqual([{ name: 'new_table', columns: [] }]);
    // The refused snapshot left nothing behind.
    expect(new Set((await snapshotItemsOf(connection)).map((item) => String(item.sk).split('#')[2]))).toEqual(
      new Set([String(now.snapshot!.version).padStart(15, '0')]),
    );
  });

  it('replaces an older snapshot whole: tables gone from the newer one are gone', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:00.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    const first = [
      { name: 'accounts', columns: [{ name: 'id' }] },
      { name: 'dropped', columns: [{ name: 'x' }] },
    ];
    await snapshots.saveSnapshot(connection, snapshotOf(first, '2026-11-28T10:00:01.000Z'), call(tenant));
    const second = [{ name: 'accounts', columns: [{ name: 'id' }, { name: 'balance', type: 'numeric', nullable: false }] }];
    expect(await snapshots.saveSnapshot(connection, snapshotOf(second, '2026-11-28T10:00:02.000Z'), call(tenant))).toBe('saved');
    expect(await snapshots.readSnapshot(await current(connection), call(tenant))).toEqual([
      { name: 'accounts', columns: [{ name: 'balance', type: 'numeric', nullable: false }, { name: 'id' }] },
    ]);
    expect(await snapshotItemsOf(connection)).toHaveLength(1);
  });

  it('keeps table names with # or odd characters intact', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    const tables = [
      { name: 'a#PART#1', columns: [{ name: 'x' }] },
      { name: 'a', columns: [{ name: 'y' }] },
      { name: 'ünïcode table', columns: [{ name: 'z' }] },
    ];
    expect(await snapshots.saveSnapshot(connection, snapshotOf(tables, '2026-11-28T10:00:06.000Z'), call(tenant))).toBe('saved');
    expect((await snapshots.readSnapshot(await current(connection), call(tenant))).map((t) => t.name)).toEqual([
      'a',
      'a#PART#1',
      'ünïcode table',
    ]);
  });

  it('fails a write rather than outlive the deadline', async () => {
    const late = observation(randomUUID(), '2026-11-28T10:00:05.000Z');
    await expect(cache.saveConnection(late, late.lastSeenAt, testCall({ requestId: 'late', inMs: -1 }))).rejects.toThrow();
  });

  it('splits a table with very many columns across items that stay well under 400 KB, and joins it again', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    const columns = Array.from({ length: 8_000 }, (_, i) => ({
      name: `column_with_a_rather_long_name_${String(i).padStart(6, '0')}_${'x'.repeat(40)}`,
    }));
    const snapshot = snapshotOf([{ name: 'wide', columns }], '2026-11-28T10:00:06.000Z');
    expect(await snapshots.saveSnapshot(connection, snapshot, call(tenant))).toBe('saved');
    const parts = await snapshotItemsOf(connection);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect((part.tables as Uint8Array).byteLength).toBeLessThan(350_000);
    expect(await snapshots.readSnapshot(await current(connection), call(tenant))).toEqual(snapshot.tables);
  });

  it('marking a connection UNREACHABLE drops its snapshot and moves it between the status indexes', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:00.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    await snapshots.saveSnapshot(connection, snapshotOf([{ name: 't', columns: [] }], '2026-11-28T10:00:01.000Z'), call(tenant));
    const gone = { ...connection, status: 'UNREACHABLE' as const };
    expect(await cache.markUnreachable(gone, new Date('2026-11-28T10:00:02.000Z'), call(tenant))).toBe('saved');
    expect(await snapshotItemsOf(connection)).toEqual([]);
    expect(await read(connection)).toMatchObject({
      status: 'UNREACHABLE',
      schemaDiscovered: false,
      statusKey: `TENANT#${tenant}#STATUS#UNREACHABLE`,
    });
    expect((await cache.listConnections({ status: 'UNREACHABLE', limit: 10 }, call(tenant))).connections.map((c) => c.id)).toEqual([
      connection.id,
    ]);
    expect((await cache.listConnections({ status: 'AVAILABLE', limit: 10 }, call(tenant))).connections).toEqual([]);
  });

  it('leaves a tombstone on delete that an earlier observation cannot overwrite, and that no read shows', async () => {
    const tenant = randomUUID();
    const connection = observation(tenant, '2026-11-28T10:00:00.000Z');
    await cache.saveConnection(connection, connection.lastSeenAt, call(tenant));
    expect(await cache.removeConnection(connection, new Date('2026-11-28T10:00:10.000Z'), call(tenant))).toBe('saved');
    // A sync that began before the delete tries to write what it listed.
    expect(await cache.saveConnection(connection, new Date('2026-11-28T10:00:05.000Z'), call(tenant))).toBe('stale');
    expect(await cache.findConnection(connection.id, call(tenant))).toBeUndefined();
    expect(await cache.loadConnections(call(tenant))).toEqual([]);
    expect((await cache.listConnections({ limit: 10 }, call(tenant))).connections).toEqual([]);
    expect(await read(connection)).toMatchObject({ status: 'DELETED', expiresAt: expect.any(Number) });
    expect(await cache.removeConnection(connection, new Date('2026-11-28T10:00:20.000Z'), call(tenant))).toBe('stale');
  });
});

describe('a cache write that fails after Fetcher succeeded', () => {
  let service: TestService;
  let failNext = true;
  beforeAll(async () => {
    const flaky: ConnectionCache = {
      ...cache,
      saveConnection: async (connection, observedAt, call) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return cache.saveConnection(connection, observedAt, call);
      },
    };
    service = await startService({}, { adapters: { cache: flaky } });
  });
  afterAll(() => service.stop());

  it('answers 201 from Fetcher, logs it, and a later observation repairs the item', async () => {
    const output = captureOutput();
    const body = validBody();
    const answer = await service.invoke({ body });
    expect(answer.status).toBe(201);
    expect(answer.body.schemaDiscovered).toBe(false);
    expect(output.records().find((r) => r.message === 'cache write failed')).toMatchObject({ level: 'ERROR', step: 'connection' });
    expect((await service.cacheItems()).some((i) => i.id === answer.body.id)).toBe(false);

    // A later observation of the same Fetcher connection (the sync) derives the same id and writes it.
    const stored = service.fetcher.connections().find((c) => c.configName === body.configName)!;
    const repaired = observation('default', new Date().toISOString(), { fetcherConnectionId: stored.id, configName: body.configName });
    expect(repaired.id).toBe(answer.body.id);
    expect(await cache.saveConnection(repaired, repaired.lastSeenAt, call('default'))).toBe('created');
    expect((await service.cacheItems()).find((i) => i.id === answer.body.id)).toMatchObject({ configName: body.configName });
  });
});
