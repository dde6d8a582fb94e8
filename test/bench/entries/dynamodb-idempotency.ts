import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

// What Powertools idempotency and its DynamoDB layer add (create and update carry them).
const records = new DynamoDBPersistenceLayer({ tableName: 'bench' });
const config = new IdempotencyConfig({ expiresAfterSeconds: 86_400 });

export const handler = async () => ({ statusCode: documents && records && config ? 204 : 500 });
