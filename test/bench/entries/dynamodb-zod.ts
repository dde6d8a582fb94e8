import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import * as z from 'zod';

// What zod's classic API adds, with a schema built at cold start as the functions build theirs.
const body = z.object({ name: z.string().min(1).max(64), port: z.number().int().min(1).max(65535), kind: z.enum(['a', 'b']).optional() });

export const handler = async (event: unknown) => ({ statusCode: documents && body.safeParse(event).success ? 204 : 422 });
