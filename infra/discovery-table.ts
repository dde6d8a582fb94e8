import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../functions/dynamodb-tables.ts';

const attribute = ({ name, type }: { name: string; type: 'S' | 'N' }): Attribute => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * A table built from its definition in functions/dynamodb-tables.ts (the harness builds its tables from the
 * same data). On demand, point-in-time recovery, and encrypted with the AWS-owned key: the tables
 * never hold a password or token, so a customer-managed key would add cost and a key
 * policy to run without protecting anything more.
 */
export const discoveryTable = (scope: Construct, id: string, definition: TableDefinition, removalPolicy: RemovalPolicy): TableV2 =>
  new TableV2(scope, id, {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    globalSecondaryIndexes: definition.indexes?.map((index) => ({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...index.include],
    })),
    billing: Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // A throwaway stack (removalPolicy destroy) must be able to delete its tables.
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    encryption: TableEncryptionV2.dynamoOwnedKey(),
    removalPolicy,
  });
