import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../doubles/free-port.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

/** The EMF lines (one JSON object each) written while `run` ran, as { metric name: value, dimensions }. */
const emfDuring = async (run: () => Promise<unknown>) => {
  const output = captureOutput();
  await run();
  return output
    .records()
    .filter((record) => '_aws' in record)
    .map((record) => {
      const [directive] = (
        record._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }
      ).CloudWatchMetrics;
      return {
        namespace: directive!.Namespace,
        dimensions: Object.fromEntries(directive!.Dimensions.flat().map((name) => [name, record[name]])),
        metrics: Object.fromEntries(directive!.Metrics.map(({ Name }) => [Name, record[Name]])),
      };
    });
};

const metric = (lines: Awaited<ReturnType<typeof emfDuring>>, name: string) => lines.filter((line) => name in line.metrics);

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '300', SCHEMA_DISCOVERY_BUDGET_MS: '200' });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service.stop());

describe('metrics (EMF)', () => {
  it('counts a created connection in the configured namespace, with the service dimension', async () => {
    const lines = await emfDuring(() => service.invoke({ body: validBody() }));
    expect(metric(lines, 'ConnectionsCreated')).toEqual([
      { namespace: 'MatcherDiscovery', dimensions: { service: 'matcher-discovery' }, metrics: { ConnectionsCreated: 1 } },
    ]);
    expect(metric(lines, 'FetcherErrors')).toEqual([]);
  });

  it.each([
    ['timeout', { delayMs: 1_000, times: 1 }, 504],
    ['busy', { status: 503, body: { code: 'FET-9999' }, times: 1 }, 503],
    ['bad_gateway', { status: 500, body: { message: 'boom' }, times: 1 }, 502],
  ] as const)('counts a Fetcher %s in FetcherErrors by class', async (errorClass, fault, status) => {
    service.fetcher.inject('create', fault);
    let answered = 0;
    const lines = await emfDuring(async () => (answered = (await service.invoke({ body: validBody() })).status));
    expect(answered).toBe(status);
    expect(metric(lines, 'FetcherErrors')).toEqual([
      {
        namespace: 'MatcherDiscovery',
        dimensions: { service: 'matcher-discovery', ErrorClass: errorClass },
        metrics: { FetcherErrors: 1 },
      },
    ]);
  });

  it('counts a duplicate configName as rejected, not as a Fetcher fault', async () => {
    const body = validBody();
    await service.invoke({ body });
    const lines = await emfDuring(() => service.invoke({ body }));
    expect(metric(lines, 'FetcherErrors').map((line) => line.dimensions.ErrorClass)).toEqual(['rejected']);
  });

  it('writes no metric line, and no warning, for a request that recorded nothing', async () => {
    const output = captureOutput();
    const lines = await emfDuring(() => service.invoke({ body: validBody(), anonymous: true }));
    expect(lines.filter((line) => !('ColdStart' in line.metrics))).toEqual([]);
    expect(output.text()).not.toContain('No application metrics');
  });
});

describe('metrics of failures the caller does not see', () => {
  let broken: TestService;
  beforeAll(async () => {
    broken = await startService({ TABLE_NAME: 'no-such-table' });
  });
  afterAll(() => broken.stop());

  it('counts a cache write that failed while the answer is still 201', async () => {
    let status = 0;
    const lines = await emfDuring(async () => (status = (await broken.invoke({ body: validBody() })).status));
    expect(status).toBe(201);
    // The connection and the tenant's registration both failed; each counts (EMF lists both values, CloudWatch sums them).
    expect(metric(lines, 'CacheWriteFailures')).toMatchObject([{ metrics: { CacheWriteFailures: [1, 1], ConnectionsCreated: 1 } }]);
  });
});

describe('metrics of the signing keys', () => {
  let down: TestService;
  beforeAll(async () => {
    down = await startService({ JWT_JWKS_URL: `http://127.0.0.1:${await freePort()}/.well-known/jwks.json` });
  });
  afterAll(() => down.stop());

  it('counts JWKS failures', async () => {
    const token = await down.token();
    const lines = await emfDuring(() => down.invoke({ body: validBody(), token }));
    expect(metric(lines, 'JwksFailures')).toMatchObject([{ dimensions: { service: 'matcher-discovery' }, metrics: { JwksFailures: 1 } }]);
  });
});
