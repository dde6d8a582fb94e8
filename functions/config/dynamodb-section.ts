import * as z from 'zod';
import type { DynamoDBClientOptions } from '../adapters/dynamodb/dynamodb-client.ts';
import { httpUrl, optionalText } from './environment.ts';
import { defineSection } from './section.ts';

const schema = z.object({
  TABLE_NAME: z.string().trim().min(3),
  DYNAMODB_ENDPOINT: httpUrl.optional(),
  AWS_REGION: z.string().trim().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: optionalText,
});

export interface CacheTableOptions {
  client: DynamoDBClientOptions;
  tableName: string;
}

/** The discovery cache table and how to reach DynamoDB. */
export const dynamodbSection = defineSection({
  schema,
  build: (e): CacheTableOptions => ({
    // A local endpoint with no AWS credentials around: DynamoDB Local accepts any.
    client: { region: e.AWS_REGION, endpoint: e.DYNAMODB_ENDPOINT, localCredentials: !!e.DYNAMODB_ENDPOINT && !e.AWS_ACCESS_KEY_ID },
    tableName: e.TABLE_NAME,
  }),
});
