import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { CACHE_TABLE } from '../../functions/dynamodb-tables.ts';
import { ensureTable, localClient } from '../doubles/dynamodb-local.ts';

export interface OwnTable {
  name: string;
  drop(): Promise<void>;
}

/**
 * A cache table of the test file's own in the run's DynamoDB Local, built from the shared definition:
 * for tests that read the whole tenant registry or fill a tenant with thousands of items, so neither
 * they nor the other files running beside them see each other's data.
 */
export const ownCacheTable = async (label: string): Promise<OwnTable> => {
  const client = localClient(inject('dynamodbEndpoint'));
  const name = `discovery-cache-${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, name, CACHE_TABLE);
  return {
    name,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    },
  };
};
