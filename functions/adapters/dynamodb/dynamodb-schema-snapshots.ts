import { paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SchemaSnapshots } from '../../discovery/cache-ports.ts';
import type { Call } from '../../discovery/call.ts';
import type { CachedConnection } from '../../discovery/connection.ts';
import { batchWrite } from './batch-write.ts';
import { conditionally } from './conditional-write.ts';
import { connectionSortKey, partitionKey } from './connection-item.ts';
import { snapshotItems, snapshotPrefix, tablesOf, type SnapshotItem } from './schema-snapshot-items.ts';
import { saveSnapshotBatch } from './dynamodb-snapshot-batch.ts';
import { snapshotPointer } from './snapshot-pointer.ts';

/**
 * Schema snapshots beside their connection: a versioned snapshot plus a pointer. The chunks of a new
 * snapshot are written first (batched, unconditional: their keys are new), then the connection's
 * pointer moves to them conditionally (a newer snapshot, or a connection gone UNREACHABLE, wins), then
 * every other snapshot of the connection is deleted. Readers follow the pointer, so they never see a
 * snapshot half written.
 */
export const createSchemaSnapshots = (client: DynamoDBDocumentClient, tableName: string) => {
  const query = async (call: Call, prefix: string, projection?: string) => {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitionKey(call.tenantId), ':prefix': prefix },
        ...(projection ? { ProjectionExpression: projection } : {}),
      },
      { abortSignal: call.deadline.signal() },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  };

  /** Deletes the connection's snapshot items, all of them or all but one version. */
  const dropSnapshots = async (connectionId: string, call: Call, keep?: number) => {
    const kept = keep === undefined ? undefined : snapshotPrefix(connectionId, keep);
    const stale = (await query(call, snapshotPrefix(connectionId), 'pk, sk')).filter((item) => !kept || !String(item.sk).startsWith(kept));
    await batchWrite(
      client,
      tableName,
      stale.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      call.deadline,
    );
  };

  const snapshots: SchemaSnapshots & { dropSnapshots: typeof dropSnapshots } = {
    async saveSnapshot(connection, snapshot, call) {
      const version = snapshot.observedAt.getTime();
      const items = snapshotItems(partitionKey(connection.tenantId), connection.id, version, snapshot.tables);
      await batchWrite(
        client,
        tableName,
        items.map((item) => ({ PutRequest: { Item: item as unknown as Record<string, unknown> } })),
        call.deadline,
      );
      let replaced: number | undefined;
      const moved = await conditionally(async () => {
        const { Attributes } = await client.send(
          new UpdateCommand({ ...snapshotPointer(tableName, connection, snapshot), ReturnValues: 'UPDATED_OLD' }),
          {
            abortSignal: call.deadline.signal(),
          },
        );
        replaced = Attributes?.snapshotVersion as number | undefined;
      });
      // The pointer moved: the snapshot it left goes, and any other but this one. It did not: this one goes, a newer one stays.
      if (moved && replaced !== undefined) await dropSnapshots(connection.id, call, version);
      else if (!moved) await batchWrite(client, tableName, items.map(deleteRequest), call.deadline);
      return moved ? 'saved' : 'stale';
    },

    saveSnapshots: (entries, call) =>
      saveSnapshotBatch(client, tableName, (e, c) => snapshots.saveSnapshot(e.connection, e.snapshot, c))(entries, call),

    async confirmSnapshot(connection, checkedAt, call) {
      await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: partitionKey(connection.tenantId), sk: connectionSortKey(connection.id) },
            UpdateExpression: 'SET snapshotCheckedAt = :c',
            ConditionExpression: 'snapshotFingerprint = :f',
            ExpressionAttributeValues: { ':c': checkedAt.toISOString(), ':f': connection.snapshot?.fingerprint ?? '' },
          }),
          { abortSignal: call.deadline.signal() },
        ),
      );
    },

    async readSnapshot(connection: CachedConnection, call) {
      if (!connection.snapshot) return [];
      const found = await query(call, snapshotPrefix(connection.id, connection.snapshot.version));
      return tablesOf(found as unknown as SnapshotItem[]);
    },

    async discardSnapshot(connection, observedAt, call) {
      // Only a snapshot older than the change that made it stale; a newer one was taken for the new place.
      const dropped = await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: partitionKey(connection.tenantId), sk: connectionSortKey(connection.id) },
            UpdateExpression: 'SET schemaDiscovered = :false REMOVE snapshotVersion, snapshotFingerprint, snapshotCheckedAt',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(snapshotVersion) OR snapshotVersion < :v)',
            ExpressionAttributeValues: { ':false': false, ':v': observedAt.getTime() },
          }),
          { abortSignal: call.deadline.signal() },
        ),
      );
      if (dropped) await dropSnapshots(connection.id, call);
    },

    dropSnapshots,
  };
  return snapshots;
};

const deleteRequest = (item: SnapshotItem) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } });

export type DynamoDBSchemaSnapshots = ReturnType<typeof createSchemaSnapshots>;
