import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { publishMetrics } from '../../../functions/http/publish-metrics.ts';
import { middyRequest, run, type RouteMiddleware } from './middy-request.ts';

const metrics = new Metrics({ namespace: 'Test', serviceName: 'publish-metrics-test' });
const middleware = publishMetrics(metrics) as RouteMiddleware;

afterEach(() => {
  vi.restoreAllMocks();
  metrics.clearMetrics();
});

describe('publishMetrics', () => {
  it('records ColdStart for the function before the request runs', async () => {
    const coldStart = vi.spyOn(metrics, 'captureColdStartMetric').mockImplementation(() => undefined);
    await run(middleware, 'before', middyRequest({ context: { functionName: 'get-connection' } }));
    expect(coldStart).toHaveBeenCalledExactlyOnceWith('get-connection');
  });

  it.each(['after', 'onError'] as const)('publishes what the request recorded, once, when it ends (%s)', async (phase) => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics').mockReturnValue(metrics);
    metrics.addMetric('ConnectionsCreated', MetricUnit.Count, 1);
    await run(middleware, phase, middyRequest());
    expect(publish).toHaveBeenCalledOnce();
  });

  it.each(['after', 'onError'] as const)('publishes nothing for a request that recorded nothing (%s)', async (phase) => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    await run(middleware, phase, middyRequest());
    expect(publish).not.toHaveBeenCalled();
  });
});
