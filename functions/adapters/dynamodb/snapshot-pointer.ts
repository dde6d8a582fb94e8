import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CachedConnection } from '../../discovery/connection.ts';
import type { SchemaSnapshot } from '../../discovery/cache-ports.ts';
import { connectionSortKey, partitionKey } from './connection-item.ts';

/**
 * The update that points a connection at a stored snapshot and marks its schema discovered: only
 * while it is AVAILABLE, and only over an older snapshot (`first`: over none at all), so a newer
 * snapshot, or a connection gone UNREACHABLE meanwhile, wins.
 */
export const snapshotPointer = (
  tableName: string,
  connection: CachedConnection,
  { fingerprint, observedAt }: Pick<SchemaSnapshot, 'fingerprint' | 'observedAt'>,
  first = false,
): UpdateCommandInput => ({
  TableName: tableName,
  Key: { pk: partitionKey(connection.tenantId), sk: connectionSortKey(connection.id) },
  UpdateExpression: 'SET snapshotVersion = :v, snapshotFingerprint = :f, snapshotCheckedAt = :c, schemaDiscovered = :true',
  ConditionExpression: `attribute_exists(pk) AND #status = :available AND (attribute_not_exists(snapshotVersion)${first ? '' : ' OR snapshotVersion < :v'})`,
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: {
    ':v': observedAt.getTime(),
    ':f': fingerprint,
    ':c': observedAt.toISOString(),
    ':true': true,
    ':available': 'AVAILABLE',
  },
});
