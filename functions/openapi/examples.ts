/** Example values for the API document: what the routes answered for a demo connection. */
export const CONNECTION = {
  id: '31fc2178-b094-531c-b39f-abf102c23c05',
  configName: 'prod-ledger-db',
  databaseType: 'POSTGRESQL',
  status: 'AVAILABLE',
  schemaDiscovered: true,
  lastSeenAt: '2026-11-28T15:37:24.115Z',
};

export const CREATE_BODY = {
  configName: 'prod-ledger-db',
  databaseType: 'postgres',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'matcher_ro',
  password: 'change-me',
  schema: 'public',
};

export const LIST = {
  connections: [CONNECTION, { ...CONNECTION, id: '8d7c1a36-2f0e-5b4e-9c61-0e5a2b7d4f19', configName: 'orders-db', databaseType: 'MYSQL' }],
  nextCursor: 'WyJkZWZhdWx0IiwifCIsIjhkN2MxYTM2LTJmMGUtNWI0ZS05YzYxLTBlNWEyYjdkNGYxOSJd.3q2mV9ZxJmO4h1xg0bL0m6r0KqB7cN3n2J8aV1cT5pY',
};

export const SCHEMA = {
  connectionId: CONNECTION.id,
  tables: [
    { tableName: 'accounts', columns: [{ name: 'balance' }, { name: 'currency' }, { name: 'id' }] },
    { tableName: 'transactions', columns: [{ name: 'account_id' }, { name: 'amount', type: 'numeric', nullable: false }, { name: 'id' }] },
  ],
};

export const STATUS = {
  fetcherHealthy: true,
  connectionCount: 42,
  lastSyncAt: '2026-11-28T15:30:02.480Z',
  sync: { state: 'completed', startedAt: '2026-11-28T15:30:00.112Z', finishedAt: '2026-11-28T15:30:02.480Z', connectionsSynced: 42 },
};
