import { testCall } from '../../../support/call.ts';
import { partialFetcher } from '../../../support/partial-ports.ts';
import { describe, expect, it } from 'vitest';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { CircuitOpen } from '../../../../functions/adapters/fetcher/circuit-breaker.ts';
import { transportFailure } from '../../../../functions/adapters/fetcher/transport-failure.ts';
import { answerFailure } from '../../../../functions/adapters/fetcher/error-answers.ts';
import { MatcherError } from '../../../../functions/discovery/errors.ts';
import { fetcherErrorClass, meteredFetcher } from '../../../../functions/adapters/fetcher/metered-fetcher.ts';
import { FETCHER_ERROR_CLASSES, FETCHER_FAULT_CLASSES } from '../../../../functions/observability/metric-names.ts';

const answer = (status: number, json: unknown = {}) => ({ status, headers: new Headers(), json });
const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
const timedOut = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });

describe('fetcherErrorClass', () => {
  it.each([
    ['timeout', transportFailure(timedOut, 'the create')],
    ['unreachable', transportFailure(refused, 'the create')],
    ['busy', answerFailure(answer(429))],
    ['busy', answerFailure(answer(503))],
    ['circuit_open', new CircuitOpen(5)],
    ['bad_gateway', answerFailure(answer(500))],
    ['bad_gateway', answerFailure(answer(401))],
    ['bad_gateway', transportFailure(new TypeError('fetch failed'), 'the create')],
    ['rejected', answerFailure(answer(409, { code: 'FET-1002' }))],
    ['rejected', answerFailure(answer(400, { code: 'FET-0414' }))],
    ['rejected', answerFailure(answer(400, { code: 'FET-0402', fields: { host: 'host is a required field' } }))],
    ['unknown', new TypeError('a bug')],
    ['unknown', new MatcherError('MTCH-0002', 'internal error')],
  ])('is %s for %s', (errorClass, error) => {
    expect(fetcherErrorClass(error)).toBe(errorClass);
  });

  it('leaves only rejections out of the classes the alarm sums', () => {
    expect(FETCHER_ERROR_CLASSES.filter((c) => !FETCHER_FAULT_CLASSES.includes(c))).toEqual(['rejected']);
  });
});

describe('meteredFetcher', () => {
  const counting = () => {
    const counted: Record<string, string>[] = [];
    const metrics = {
      singleMetric: () => {
        const dims: Record<string, string> = {};
        const single = {
          addDimension: (name: string, value: string) => ((dims[name] = value), single),
          addMetric: (name: string) => (counted.push({ ...dims, metric: name }), single),
        };
        return single;
      },
    } as unknown as Metrics;
    return { metrics, counted };
  };
  const call = testCall({ inMs: 1_000 });

  it('counts a failed create by class and rethrows the same error', async () => {
    const { metrics, counted } = counting();
    const error = answerFailure(answer(503));
    const failing = partialFetcher({
      createConnection: () => Promise.reject(error),
      getSchema: () => Promise.reject(transportFailure(timedOut, 'x')),
    });
    const fetcher = meteredFetcher(failing, metrics);
    await expect(fetcher.createConnection({} as never, call)).rejects.toBe(error);
    expect(counted).toEqual([{ ErrorClass: 'busy', metric: 'FetcherErrors' }]);
  });

  it('does not count a failed schema read (best effort; usually the database, not Fetcher)', async () => {
    const { metrics, counted } = counting();
    const failing = partialFetcher({
      createConnection: async () => ({}) as never,
      getSchema: () => Promise.reject(transportFailure(timedOut, 'x')),
    });
    await expect(meteredFetcher(failing, metrics).getSchema('id', call)).rejects.toMatchObject({ code: 'MTCH-0208' });
    expect(counted).toEqual([]);
  });

  it('counts nothing when Fetcher answers', async () => {
    const { metrics, counted } = counting();
    const fetcher = meteredFetcher(partialFetcher({ createConnection: async () => ({}) as never, getSchema: async () => [] }), metrics);
    await fetcher.getSchema('id', call);
    expect(counted).toEqual([]);
  });

  it('counts a failed listing by class: the sync depends on it', async () => {
    const { metrics, counted } = counting();
    const failing = partialFetcher({
      createConnection: async () => ({}) as never,
      getSchema: async () => [],
      listConnections: () => Promise.reject(answerFailure(answer(503))),
      isHealthy: async () => false,
    });
    await expect(meteredFetcher(failing, metrics).listConnections({} as never, call)).rejects.toMatchObject({ code: 'MTCH-0203' });
    expect(counted).toEqual([{ ErrorClass: 'busy', metric: 'FetcherErrors' }]);
  });
});
