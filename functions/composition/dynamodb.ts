import { createDynamoDBClient, documentClientOf } from '../adapters/dynamodb/dynamodb-client.ts';
import { createConnectionCache } from '../adapters/dynamodb/dynamodb-connection-cache.ts';
import { createSchemaSnapshots } from '../adapters/dynamodb/dynamodb-schema-snapshots.ts';
import { createSyncLeases } from '../adapters/dynamodb/dynamodb-sync-leases.ts';
import { createTenantRegistry } from '../adapters/dynamodb/dynamodb-tenant-registry.ts';
import { createTenantSummaries } from '../adapters/dynamodb/dynamodb-tenant-summaries.ts';
import { dynamodbSection } from '../config/dynamodb-section.ts';
import type { ConnectionCache, SyncLeases, TenantRegistry, TenantSummaries } from '../discovery/cache-ports.ts';
import { part, sectionPart } from './container.ts';
import { tracer } from './tracing.ts';

export const cacheTableOptions = sectionPart(dynamodbSection);

/** One DynamoDB client per container, traced, shared by every table adapter. */
export const dynamodbClient = part(async (container) => {
  const client = createDynamoDBClient((await cacheTableOptions(container)).client);
  const traced = await tracer(container);
  return traced ? traced.captureAWSv3Client(client) : client;
});

const documents = part(async (container) => documentClientOf(await dynamodbClient(container)));
const tableName = async (container: Parameters<typeof documents>[0]) => (await cacheTableOptions(container)).tableName;

export const schemaSnapshots = part(async (container) => createSchemaSnapshots(await documents(container), await tableName(container)));

export const connectionCache = part<ConnectionCache>(async (container) =>
  createConnectionCache(await documents(container), await tableName(container), await schemaSnapshots(container)),
);

export const tenantSummaries = part<TenantSummaries>(async (container) =>
  createTenantSummaries(await documents(container), await tableName(container)),
);

export const syncLeases = part<SyncLeases>(async (container) => createSyncLeases(await documents(container), await tableName(container)));

export const tenantRegistry = part<TenantRegistry>(async (container) =>
  createTenantRegistry(await documents(container), await tableName(container)),
);
