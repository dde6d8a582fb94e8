import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// What the Secrets Manager client adds when a secret ARN is set and the function loads it at cold start.
const secrets = new SecretsManagerClient({ maxAttempts: 3 });

export const handler = async () => ({ statusCode: documents && secrets ? 204 : 500 });
