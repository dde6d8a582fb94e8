/**
 * The DynamoDB tables, as plain data: the CDK stack, the local harness and the tests all build their
 * tables from these, so none of them can disagree about a key.
 */
export interface TableDefinition {
  partitionKey: { name: string; type: 'S' | 'N' };
  sortKey?: { name: string; type: 'S' | 'N' };
  timeToLiveAttribute?: string;
}

/** The discovery cache: pk = TENANT#<tenantId>, sk = CONN#<id> (and CONN#<id>#TABLE#<name>). */
export const CACHE_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
};

/** Idempotency records (Powertools' default attribute names). */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiration',
};
