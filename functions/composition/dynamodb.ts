import { createConnectionCache } from '../adapters/dynamodb/dynamodb-connection-cache.ts';
import { createDynamoDBClient, documentClientOf } from '../adapters/dynamodb/dynamodb-client.ts';
import { dynamodbSection } from '../config/dynamodb-section.ts';
import type { ConnectionCache } from '../discovery/ports.ts';
import { tracer } from '../observability/tracer.ts';
import { part, sectionPart } from './container.ts';

export const cacheTableOptions = sectionPart(dynamodbSection);

/** One DynamoDB client per container, traced, shared by every table adapter. */
export const dynamodbClient = part(async (container) =>
  tracer.captureAWSv3Client(createDynamoDBClient((await cacheTableOptions(container)).client)),
);

export const connectionCache = part<ConnectionCache>(async (container) =>
  createConnectionCache(documentClientOf(await dynamodbClient(container)), (await cacheTableOptions(container)).tableName),
);
