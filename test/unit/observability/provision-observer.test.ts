import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import type { CacheStep } from '../../../functions/discovery/ports.ts';
import { createProvisionObserver } from '../../../functions/observability/provision-observer.ts';

describe('createProvisionObserver', () => {
  it.each<CacheStep>(['connection', 'schema', 'registry', 'count'])(
    'counts a failed %s write in CacheWriteFailures, which the stack alarms on',
    (step) => {
      const added: [string, string, number][] = [];
      const metrics = { addMetric: (name: string, unit: string, value: number) => added.push([name, unit, value]) } as unknown as Metrics;
      const logged: unknown[] = [];
      const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
      logger.error = (...args: unknown[]) => void logged.push(args);
      createProvisionObserver(logger, metrics).cacheWriteFailed(step, new Error('AccessDeniedException'));
      expect(added).toEqual([['CacheWriteFailures', 'Count', 1]]);
      expect(logged).toEqual([['cache write failed', { step, error: { name: 'Error', message: 'AccessDeniedException' } }]]);
    },
  );
});
