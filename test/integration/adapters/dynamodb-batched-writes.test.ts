import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createConnectionCache } from '../../../functions/adapters/dynamodb/dynamodb-connection-cache.ts';
import { createSchemaSnapshots } from '../../../functions/adapters/dynamodb/dynamodb-schema-snapshots.ts';
import type { CachedConnection } from '../../../functions/discovery/connection.ts';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import { canonicalTables, schemaFingerprint } from '../../../functions/discovery/schema-fingerprint.ts';
import { localClient } from '../../doubles/dynamodb-local.ts';
import { testCall } from '../../support/call.ts';
import { countDynamoDBRequests } from '../../support/dynamodb-requests.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';

const client = localClient(inject('dynamodbEndpoint'));
const requests = countDynamoDBRequests(client);
const documents = DynamoDBDocumentClient.from(client);
const snapshots = createSchemaSnapshots(documents, TEST_TABLES.cache);
const cache = createConnectionCache(documents, TEST_TABLES.cache, snapshots);
afterAll(() => client.destroy());

const T0 = new Date('2026-11-28T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const connections = (tenantId: string, count: number): CachedConnection[] =>
  Array.from({ length: count }, (_, i) => {
    const fetcherConnectionId = randomUUID();
    return {
      tenantId,
      id: connectionId(tenantId, fetcherConnectionId),
      fetcherConnectionId,
      configName: `batched-${i}`,
      databaseType: 'POSTGRESQL',
      host: 'db.example.com',
      port: 5432,
      databaseName: 'ledger',
      userName: 'ro',
      productName: 'matcher',
      status: 'AVAILABLE',
      schemaDiscovered: false,
      lastSeenAt: T0,
    };
  });

const snapshotOf = (name: string, observedAt: Date) => {
  const tables = [{ name, columns: [{ name: 'id' }] }];
  return { tables: canonicalTables(tables), fingerprint: schemaFingerprint(tables), observedAt };
};

const snapshotKeys = async (tenantId: string) =>
  (
    (
      await documents.send(
        new QueryCommand({
          TableName: TEST_TABLES.cache,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'SCHEMA#' },
        }),
      )
    ).Items ?? []
  ).map((item) => String(item.sk));

describe('new connections, a hundred to a request', () => {
  it('caches 250 new connections in three requests, as saveConnection would have', async () => {
    const tenant = randomUUID();
    const call = testCall({ tenantId: tenant });
    const made = connections(tenant, 250);
    requests.reset();
    expect(await cache.saveNewConnections(made, T0, call)).toEqual(Array(250).fill('created'));
    expect(requests.byAction()).toEqual({ TransactWriteItems: 3 });
    const loaded = await cache.loadConnections(call);
    expect(loaded).toHaveLength(250);
    expect(loaded.find((c) => c.id === made[7]!.id)).toMatchObject({
      configName: 'batched-7',
      status: 'AVAILABLE',
      schemaDiscovered: false,
    });
  });

  it('falls back to one write each when one was cached meanwhile: a newer observation and a tombstone win, the rest are created', async () => {
    const tenant = randomUUID();
    const call = testCall({ tenantId: tenant });
    const [fresh, newer, deleted] = connections(tenant, 3);
    await cache.saveConnection({ ...newer!, configName: 'from-a-create' }, at(5_000), call);
    await cache.saveConnection(deleted!, at(-5_000), call);
    await cache.removeConnection(deleted!, at(1_000), call);

    expect(await cache.saveNewConnections([fresh!, newer!, deleted!], T0, call)).toEqual(['created', 'stale', 'stale']);
    expect(await cache.findConnection(newer!.id, call)).toMatchObject({ configName: 'from-a-create' });
    expect(await cache.findConnection(deleted!.id, call)).toBeUndefined();
    expect(await cache.findConnection(fresh!.id, call)).toMatchObject({ configName: fresh!.configName });
  });
});

describe('first snapshots, many to a request', () => {
  it('stores 60 first snapshots in two requests, chunks and pointers together', async () => {
    const tenant = randomUUID();
    const call = testCall({ tenantId: tenant });
    const made = connections(tenant, 60);
    await cache.saveNewConnections(made, T0, call);
    requests.reset();
    const outcomes = await snapshots.saveSnapshots(
      made.map((connection, i) => ({ connection, snapshot: snapshotOf(`table_${i}`, at(1_000)) })),
      call,
    );
    expect(outcomes).toEqual(Array(60).fill('saved'));
    expect(requests.byAction()).toEqual({ TransactWriteItems: 2 });
    const stored = await cache.findConnection(made[42]!.id, call);
    expect(stored).toMatchObject({ schemaDiscovered: true, snapshot: { version: at(1_000).getTime() } });
    expect(await snapshots.readSnapshot(stored!, call)).toEqual([{ name: 'table_42', columns: [{ name: 'id' }] }]);
  });

  it('saves them one by one when one cannot be stored, leaving no chunk of the refused one behind', async () => {
    const tenant = randomUUID();
    const call = testCall({ tenantId: tenant });
    const [kept, gone, replaced] = connections(tenant, 3);
    await cache.saveNewConnections([kept!, gone!, replaced!], T0, call);
    await cache.markUnreachable({ ...gone!, status: 'UNREACHABLE' }, at(500), call);
    await snapshots.saveSnapshot(replaced!, snapshotOf('old_table', at(200)), call);
    const withOld = (await cache.findConnection(replaced!.id, call))!;

    const outcomes = await snapshots.saveSnapshots(
      [
        { connection: kept!, snapshot: snapshotOf('kept_table', at(1_000)) },
        { connection: gone!, snapshot: snapshotOf('gone_table', at(1_000)) },
        { connection: withOld, snapshot: snapshotOf('new_table', at(1_000)) },
      ],
      call,
    );
    expect(outcomes).toEqual(['saved', 'stale', 'saved']);
    const keys = await snapshotKeys(tenant);
    expect(keys.filter((sk) => sk.includes(gone!.id))).toEqual([]);
    expect(keys.filter((sk) => sk.includes(replaced!.id))).toHaveLength(1);
    expect(await snapshots.readSnapshot((await cache.findConnection(replaced!.id, call))!, call)).toEqual([
      { name: 'new_table', columns: [{ name: 'id' }] },
    ]);
  });
});
