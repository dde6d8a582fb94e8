import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DynamoDBRequests {
  /** Requests sent, by action (`UpdateItem`), since the last reset. */
  byAction(): Record<string, number>;
  reads(): number;
  writes(): number;
  reset(): void;
}

/**
 * Counts the requests a DynamoDB client sends, by action, with a middleware on its stack (the
 * document clients built on it share the stack). A request counts once whatever it carries: a
 * BatchWriteItem of 25 items is one request.
 */
export const countDynamoDBRequests = (client: DynamoDBClient): DynamoDBRequests => {
  let counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const action = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(action, (counts.get(action) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countRequestsForTests', override: true },
  );
  const sum = (kinds: Set<string>) => [...counts].reduce((total, [action, count]) => total + (kinds.has(action) ? count : 0), 0);
  return {
    byAction: () => Object.fromEntries(counts),
    reads: () => sum(READS),
    writes: () => sum(WRITES),
    reset: () => void (counts = new Map()),
  };
};
