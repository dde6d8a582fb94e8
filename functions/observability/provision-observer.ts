import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ProvisionObserver } from '../discovery/ports.ts';
import { errorFields } from './error-fields.ts';
import { METRIC } from './metric-names.ts';

/** Reports the use case's best-effort failures: a log line to read, and a metric the stack alarms on. */
export const createProvisionObserver = (logger: Logger, metrics: Metrics): ProvisionObserver => ({
  connectionCreated: (connection) => {
    logger.info('connection created', {
      connectionId: connection.id,
      tenantId: connection.tenantId,
      databaseType: connection.databaseType,
    });
    metrics.addMetric(METRIC.connectionsCreated, MetricUnit.Count, 1);
  },
  cacheWriteFailed: (step, error) => {
    logger.error('cache write failed', { step, error: errorFields(error) });
    // Every step counts: a denied or failing schema write leaves schemaDiscovered false for good, and
    // only the alarm on this metric would tell. The log line says which step.
    metrics.addMetric(METRIC.cacheWriteFailures, MetricUnit.Count, 1);
  },
  schemaDiscoverySkipped: (error) => logger.warn('schema discovery skipped', { error: errorFields(error) }),
});
