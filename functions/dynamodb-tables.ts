/**
 * The DynamoDB tables, as plain data: the CDK stack, the local harness and the tests all build their
 * tables from these, so none of them can disagree about a key or an index.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** The non-key attributes the index carries. */
  include: readonly string[];
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  timeToLiveAttribute?: string;
  indexes?: readonly IndexDefinition[];
}

/** What a listed connection shows: the ConnectionResponse fields. An index carrying them answers a page alone. */
const VIEW_ATTRIBUTES = ['id', 'configName', 'databaseType', 'status', 'schemaDiscovered', 'lastSeenAt'];
const SK: KeyAttribute = { name: 'sk', type: 'S' };
const index = (name: string, partitionKey: string): IndexDefinition => ({
  name,
  partitionKey: { name: partitionKey, type: 'S' },
  sortKey: SK,
  include: VIEW_ATTRIBUTES,
});

/**
 * The discovery cache, one partition per tenant (pk = TENANT#<tenantId>): connections (sk = CONN#<id>),
 * their schema snapshots (sk = SCHEMA#<id>#...), the tenant's summary and its sync lease. The tenant
 * registry is the partition REGISTRY. A list page reads one partition of one sparse index, so its cost
 * is O(limit) whatever the filter: every index is keyed by tenant and filter values, sorted by id.
 */
export const CACHE_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: SK,
  // Tombstones of deleted connections expire; nothing else does.
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    index('ByTenant', 'tenantKey'),
    index('ByStatus', 'statusKey'),
    index('ByType', 'typeKey'),
    index('ByStatusType', 'statusTypeKey'),
  ],
};

/** Idempotency records (Powertools' default attribute names). */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiration',
};
