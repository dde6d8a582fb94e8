import type { Logger } from '@aws-lambda-powertools/logger';
import type { ProvisionObserver } from '../discovery/ports.ts';

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };

/** Reports the use case's best-effort failures; each is a log line a platform engineer can alert on. */
export const createProvisionObserver = (logger: Logger): ProvisionObserver => ({
  connectionCreated: (connection) =>
    logger.info('connection created', { connectionId: connection.id, tenantId: connection.tenantId, databaseType: connection.databaseType }),
  cacheWriteFailed: (step, error) => logger.error('cache write failed', { step, error: describe(error) }),
  schemaDiscoverySkipped: (error) => logger.warn('schema discovery skipped', { error: describe(error) }),
});
