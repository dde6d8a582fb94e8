import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import * as z from 'zod/mini';

// The same schema with zod/mini: the lever's alternative.
const body = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65535)),
  kind: z.optional(z.enum(['a', 'b'])),
});

export const handler = async (event: unknown) => ({ statusCode: documents && body.safeParse(event).success ? 204 : 422 });
