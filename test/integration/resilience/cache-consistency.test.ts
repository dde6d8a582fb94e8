import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConnectionCache } from '../../../functions/adapters/dynamodb/dynamodb-connection-cache.ts';
import type { CachedConnection } from '../../../functions/discovery/connection.ts';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import type { ConnectionCache } from '../../../functions/discovery/ports.ts';
import { localClient } from '../../doubles/dynamodb-local.ts';
import { testCall } from '../../support/call.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

const documents = DynamoDBDocumentClient.from(localClient(inject('dynamodbEndpoint')));
const cache = createConnectionCache(documents, TEST_TABLES.cache);
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

const call = () => testCall({ requestId: 'cache-test' });

const tablesOf = async (c: CachedConnection) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: TEST_TABLES.cache,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${c.tenantId}`, ':prefix': `CONN#${c.id}#TABLE#` },
      }),
    )
  ).Items ?? [];

const read = async (c: CachedConnection) =>
  (await documents.send(new GetCommand({ TableName: TEST_TABLES.cache, Key: { pk: `TENANT#${c.tenantId}`, sk: `CONN#${c.id}` } }))).Item;

describe('conditional cache writes', () => {
  it('keeps the newest observation whatever order the writes land in', async () => {
    const tenant = randomUUID();
    const newer = observation(tenant, '2026-11-28T10:00:02.000Z', { host: 'new.example.com', schema: 'ledger' });
    const older = observation(tenant, '2026-11-28T10:00:01.000Z', { host: 'old.example.com' });
    expect(await cache.saveConnection(newer, call())).toBe('saved');
    expect(await cache.saveConnection(older, call())).toBe('stale');
    expect(await read(newer)).toMatchObject({ host: 'new.example.com', schema: 'ledger', lastSeenAt: '2026-11-28T10:00:02.000Z' });
  });

  it('lets a newer observation replace an older one, dropping attributes it no longer has', async () => {
    const tenant = randomUUID();
    const first = observation(tenant, '2026-11-28T10:00:01.000Z', { schema: 'old_schema' });
    await cache.saveConnection(first, call());
    const createdAt = (await read(first))!.createdAt;
    await cache.saveConnection(observation(tenant, '2026-11-28T10:00:05.000Z', { port: 6543 }), call());
    const item = (await read(first))!;
    expect(item).toMatchObject({ port: 6543, createdAt });
    expect(item).not.toHaveProperty('schema');
  });

  it('never lets an older observation mark a newer item as discovered', async () => {
    const tenant = randomUUID();
    const current = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(current, call());
    expect(await cache.saveSchema(observation(tenant, '2026-11-28T10:00:01.000Z'), [{ name: 't', fields: ['a'] }], call())).toBe('stale');
    expect((await read(current))!.schemaDiscovered).toBe(false);
    expect(await cache.saveSchema(current, [{ name: 't', fields: ['a'] }], call())).toBe('saved');
    expect((await read(current))!.schemaDiscovered).toBe(true);
  });

  it('replaces an older snapshot of the tables: tables gone from the newer one are removed', async () => {
    const tenant = randomUUID();
    const first = observation(tenant, '2026-11-28T10:00:01.000Z');
    await cache.saveConnection(first, call());
    await cache.saveSchema(
      first,
      [
        { name: 'accounts', fields: ['id'] },
        { name: 'dropped', fields: ['x'] },
      ],
      call(),
    );
    const second = observation(tenant, '2026-11-28T10:00:02.000Z');
    await cache.saveConnection(second, call());
    expect(await cache.saveSchema(second, [{ name: 'accounts', fields: ['id', 'balance'] }], call())).toBe('saved');
    expect((await tablesOf(second)).map((t) => [t.name, t.fields, t.version])).toEqual([
      ['accounts', ['id', 'balance'], second.lastSeenAt.getTime()],
    ]);
  });

  it('never lets an older snapshot overwrite newer table items', async () => {
    const tenant = randomUUID();
    const newer = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(newer, call());
    await cache.saveSchema(newer, [{ name: 'accounts', fields: ['new_column'] }], call());
    expect(
      await cache.saveSchema(observation(tenant, '2026-11-28T10:00:01.000Z'), [{ name: 'accounts', fields: ['old_column'] }], call()),
    ).toBe('stale');
    expect((await tablesOf(newer)).map((t) => t.fields)).toEqual([['new_column']]);
  });

  it('keeps table names with # or odd characters apart in the key', async () => {
    const tenant = randomUUID();
    const current = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(current, call());
    const tables = [
      { name: 'a#PART#1', fields: ['x'] },
      { name: 'a', fields: ['y'] },
      { name: 'ünïcode table', fields: ['z'] },
    ];
    expect(await cache.saveSchema(current, tables, call())).toBe('saved');
    expect((await tablesOf(current)).map((t) => t.name).sort()).toEqual(['a', 'a#PART#1', 'ünïcode table']);
  });

  it('fails a write rather than outlive the deadline', async () => {
    const late = observation(randomUUID(), '2026-11-28T10:00:05.000Z');
    await expect(cache.saveConnection(late, testCall({ requestId: 'late', inMs: -1 }))).rejects.toThrow();
  });

  it('splits a table with very many fields across items that stay well under 400 KB', async () => {
    const tenant = randomUUID();
    const current = observation(tenant, '2026-11-28T10:00:05.000Z');
    await cache.saveConnection(current, call());
    const fields = Array.from(
      { length: 8_000 },
      (_, i) => `column_with_a_rather_long_name_${String(i).padStart(6, '0')}_${'x'.repeat(40)}`,
    );
    expect(await cache.saveSchema(current, [{ name: 'wide', fields }], call())).toBe('saved');
    const { Items: parts = [] } = await documents.send(
      new QueryCommand({
        TableName: TEST_TABLES.cache,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant}`, ':prefix': `CONN#${current.id}#TABLE#wide` },
      }),
    );
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((part) => part.fields as string[]).sort()).toEqual([...fields].sort());
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThan(350_000);
  });
});

describe('a cache write that fails after Fetcher succeeded', () => {
  let service: TestService;
  let failNext = true;
  beforeAll(async () => {
    const flaky: ConnectionCache = {
      saveConnection: async (connection, deadline) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return cache.saveConnection(connection, deadline);
      },
      saveSchema: (connection, tables, deadline) => cache.saveSchema(connection, tables, deadline),
      findConnection: (id, call) => cache.findConnection(id, call),
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
    expect(await cache.saveConnection(repaired, call())).toBe('saved');
    expect((await service.cacheItems()).find((i) => i.id === answer.body.id)).toMatchObject({ configName: body.configName });
  });
});
