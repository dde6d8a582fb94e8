import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Deadline } from '../../discovery/deadline.ts';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** DynamoDB's own limit of actions per TransactWriteItems. */
export const MAX_TRANSACT_ACTIONS = 100;

const isCancelled = (error: unknown) => (error as { name?: string }).name === 'TransactionCanceledException';

/**
 * Conditional writes, many to a request: all of them, or (a condition refused one, or another
 * request touched the same items) none. False when DynamoDB cancelled it; the caller then writes
 * the items one by one, which says which were refused. Each item costs two write units, as every
 * transactional write does, for one request instead of one per item.
 */
export const transactWrite = async (client: DynamoDBDocumentClient, items: TransactItem[], deadline: Deadline): Promise<boolean> => {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }), { abortSignal: deadline.signal() });
    return true;
  } catch (error) {
    if (isCancelled(error)) return false;
    throw error;
  }
};

/** Splits `items` in groups that each fit one transaction: at most `maxActions` actions and `maxBytes` of items. */
export const transactGroups = <T>(
  items: readonly T[],
  actionsOf: (item: T) => number,
  bytesOf: (item: T) => number,
  maxBytes = 3_500_000,
) => {
  const groups: T[][] = [];
  let actions = 0;
  let bytes = 0;
  for (const item of items) {
    const [a, b] = [actionsOf(item), bytesOf(item)];
    if (groups.length === 0 || actions + a > MAX_TRANSACT_ACTIONS || bytes + b > maxBytes) {
      groups.push([]);
      [actions, bytes] = [0, 0];
    }
    groups.at(-1)!.push(item);
    actions += a;
    bytes += b;
  }
  return groups;
};
