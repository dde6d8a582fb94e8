import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One request a client sent to DynamoDB, as sent (marshalled), with what came back. */
export interface DynamoDBCall {
  command: string;
  input: Record<string, any>;
  output: Record<string, any>;
}

/**
 * Records every request a DynamoDB client sends, through a middleware on its own stack (the document
 * clients built on it share that stack), so a test can count what a route read.
 */
export const recordDynamoDBCalls = (client: DynamoDBClient) => {
  const calls: DynamoDBCall[] = [];
  const name = `recordCalls-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      calls.push({ command: String(context.commandName), input: args.input as any, output: result.output as any });
      return result;
    },
    { step: 'initialize', name },
  );
  return {
    calls,
    /** The calls made while `work` ran. */
    async during<T>(work: () => Promise<T>): Promise<{ result: T; calls: DynamoDBCall[] }> {
      const from = calls.length;
      const result = await work();
      return { result, calls: calls.slice(from) };
    },
    stop: () => void client.middlewareStack.remove(name),
  };
};
