import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How to reach DynamoDB. localCredentials: a local endpoint with no AWS credentials around. */
export interface DynamoDBClientOptions {
  region: string;
  endpoint: string | undefined;
  localCredentials: boolean;
}

/**
 * One DynamoDB client per container; short socket timeouts and two attempts, so a slow table cannot
 * eat the Lambda (the cache adapter also bounds each call by the request's deadline).
 */
export const createDynamoDBClient = ({ region, endpoint, localCredentials }: DynamoDBClientOptions): DynamoDBClient =>
  new DynamoDBClient({
    region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 },
    ...(endpoint ? { endpoint } : {}),
    ...(localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

export const documentClientOf = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
