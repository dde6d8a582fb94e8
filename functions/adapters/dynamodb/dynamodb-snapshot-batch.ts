import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SaveOutcome, SchemaSnapshot } from '../../discovery/cache-ports.ts';
import type { Call } from '../../discovery/call.ts';
import type { CachedConnection } from '../../discovery/connection.ts';
import { inParallel } from '../../discovery/in-parallel.ts';
import { partitionKey } from './connection-item.ts';
import { snapshotItems } from './schema-snapshot-items.ts';
import { snapshotPointer } from './snapshot-pointer.ts';
import { transactGroups, transactWrite, type TransactItem } from './transact-write.ts';

export interface SnapshotEntry {
  connection: CachedConnection;
  snapshot: SchemaSnapshot;
}

const ONE_AT_A_TIME_CONCURRENCY = 4;
// A generous allowance for an item's keys and attribute names beside its gzipped tables.
const ITEM_OVERHEAD_BYTES = 512;

/**
 * Many snapshots at once. A connection's first snapshot (no pointer yet: a tenant's first sync has
 * thousands) goes with others in one transaction, its chunks and its pointer together, so a refused
 * pointer leaves no chunk behind. If DynamoDB cancels the transaction (a snapshot was stored
 * meanwhile, or the connection went UNREACHABLE), its snapshots are saved one at a time, as are
 * those that replace an earlier snapshot.
 */
export const saveSnapshotBatch =
  (client: DynamoDBDocumentClient, tableName: string, saveOne: (entry: SnapshotEntry, call: Call) => Promise<SaveOutcome>) =>
  async (entries: SnapshotEntry[], call: Call): Promise<SaveOutcome[]> => {
    const outcomes: SaveOutcome[] = [];
    const firsts = entries
      .map((entry, index) => ({
        index,
        entry,
        items: snapshotItems(
          partitionKey(entry.connection.tenantId),
          entry.connection.id,
          entry.snapshot.observedAt.getTime(),
          entry.snapshot.tables,
        ),
      }))
      .filter(({ entry }) => entry.connection.snapshot === undefined);
    const oneByOne = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.connection.snapshot !== undefined);

    const groups = transactGroups(
      firsts,
      ({ items }) => items.length + 1,
      ({ items }) => items.reduce((bytes, item) => bytes + item.tables.byteLength + ITEM_OVERHEAD_BYTES, ITEM_OVERHEAD_BYTES),
    );
    for (const group of groups) {
      const actions: TransactItem[] = group.flatMap(({ entry, items }) => [
        ...items.map((item): TransactItem => ({ Put: { TableName: tableName, Item: item as unknown as Record<string, unknown> } })),
        { Update: snapshotPointer(tableName, entry.connection, entry.snapshot, true) as TransactItem['Update'] },
      ]);
      if (await transactWrite(client, actions, call.deadline)) for (const { index } of group) outcomes[index] = 'saved';
      else oneByOne.push(...group);
    }
    await inParallel(oneByOne, ONE_AT_A_TIME_CONCURRENCY, async ({ entry, index }) => {
      outcomes[index] = await saveOne(entry, call);
    });
    return outcomes;
  };
