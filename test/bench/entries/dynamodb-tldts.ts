import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import { parse } from 'tldts';

// What tldts (the public suffix list of the host check, in create and update) adds.
export const handler = async (host: string) => ({ statusCode: documents && parse(host).domain ? 204 : 422 });
