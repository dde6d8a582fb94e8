import type { StoredConnection } from './fetcher-emulator.ts';

/**
 * The internal datasources multi-tenant Fetcher's tenant manager registers (midaz_onboarding,
 * midaz_transaction, plugin_crm): listed on page 1 of every listing of every product, before the
 * tenant's own connections, whatever the dates; only the `type` filter applies to them.
 */
export const INTERNAL_CONNECTIONS: readonly StoredConnection[] = [
  ['0190f3c2-0000-7000-8000-000000000001', 'midaz_onboarding', 'midaz', 'POSTGRESQL', 'onboarding'],
  ['0190f3c2-0000-7000-8000-000000000002', 'midaz_transaction', 'midaz', 'POSTGRESQL', 'transaction'],
  ['0190f3c2-0000-7000-8000-000000000003', 'plugin_crm', 'plugin-crm', 'MONGODB', 'crm'],
].map(([id, configName, productName, type, databaseName]) => ({
  id: id!,
  tenant: '*',
  productName,
  configName: configName!,
  type: type!,
  host: `${databaseName}.internal.lerian`,
  port: type === 'MONGODB' ? 27017 : 5432,
  databaseName: databaseName!,
  userName: 'tenant-manager',
  password: '',
  createdAt: '2024-01-02T09:00:00.000Z',
  updatedAt: '2024-01-02T09:00:00.000Z',
}));
