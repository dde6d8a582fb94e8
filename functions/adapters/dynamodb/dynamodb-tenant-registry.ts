import { PutCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantRegistry } from '../../discovery/cache-ports.ts';
import { conditionally } from './conditional-write.ts';

const REGISTRY = 'REGISTRY';
const PREFIX = 'TENANT#';

/**
 * The tenants the scheduled sync covers (pk = REGISTRY, sk = TENANT#<id>). A tenant is written once:
 * a container remembers whom it registered, so a busy tenant's creates do not each cost a write.
 */
export const createTenantRegistry = (client: DynamoDBDocumentClient, tableName: string): TenantRegistry => {
  const registered = new Set<string>();
  return {
    async register(tenantId, call) {
      if (registered.has(tenantId)) return;
      await conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: REGISTRY, sk: `${PREFIX}${tenantId}`, tenantId, registeredAt: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
          { abortSignal: call.deadline.signal() },
        ),
      );
      registered.add(tenantId);
    },

    async list(call) {
      const tenants: string[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': REGISTRY },
          ProjectionExpression: 'tenantId',
        },
        { abortSignal: call.deadline.signal() },
      );
      for await (const page of pages) tenants.push(...(page.Items ?? []).map((item) => String(item.tenantId)));
      return tenants;
    },
  };
};
