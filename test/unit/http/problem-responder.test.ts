import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MatcherError, type ErrorCode } from '../../../functions/discovery/errors.ts';
import { AuthFailure } from '../../../functions/http/auth-failure.ts';
import { problemResponder } from '../../../functions/http/problem-responder.ts';
import { logger } from '../../../functions/observability/logger.ts';
import { withhold } from '../../../functions/observability/secret-values.ts';
import { middyRequest, run } from './middy-request.ts';

const metrics = new Metrics({ namespace: 'Test', serviceName: 'problem-responder-test' });
const responder = problemResponder(logger, metrics);

/** The JSON log lines the service logger writes (to stdout, and errors to stderr) while `work` runs. */
const logLinesOf = async (work: () => Promise<unknown>) => {
  const lines: Record<string, unknown>[] = [];
  const keep = (chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(keep), vi.spyOn(process.stderr, 'write').mockImplementation(keep)];
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
};
const errorLines = (lines: Record<string, unknown>[]) => lines.filter((line) => line.level === 'ERROR');

const respond = async (error: unknown) => {
  const request = middyRequest({
    error: error as Error,
    event: { requestContext: { ...middyRequest().event.requestContext, requestId: 'r-9' } },
  });
  const lines = await logLinesOf(() => run(responder, 'onError', request));
  return { response: request.response!, lines };
};

afterEach(() => {
  vi.restoreAllMocks();
  metrics.clearMetrics();
});

describe('problemResponder', () => {
  it('answers a MatcherError with its problem, for the request that failed', async () => {
    const { response } = await respond(new MatcherError('MTCH-0005', 'The request body failed validation.', { errors: [] }));
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body!)).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'The request body failed validation.',
      instance: 'urn:request:r-9',
      code: 'MTCH-0005',
    });
  });

  it.each<ErrorCode>(['MTCH-0001', 'MTCH-0005', 'MTCH-0019', 'MTCH-0201', 'MTCH-0206', 'MTCH-0209'])(
    'writes no error-level log line for the 4xx %s',
    async (code) => {
      const { response, lines } = await respond(new MatcherError(code, 'caller error', { cause: new Error('why') }));
      expect(response.statusCode).toBeLessThan(500);
      expect(errorLines(lines)).toEqual([]);
    },
  );

  it('writes no error-level line for an authentication failure', async () => {
    const { response, lines } = await respond(new AuthFailure('MTCH-0003', 'A bearer token is required.', 'none'));
    expect(response.statusCode).toBe(401);
    expect(errorLines(lines)).toEqual([]);
  });

  it.each<[ErrorCode, number]>([
    ['MTCH-0203', 503],
    ['MTCH-0207', 502],
    ['MTCH-0208', 504],
  ])('writes exactly one error-level line for the 5xx %s, with its code, detail and cause', async (code, status) => {
    const cause = new RangeError('socket hang up');
    const { response, lines } = await respond(new MatcherError(code, 'Fetcher failed.', { cause }));
    expect(response.statusCode).toBe(status);
    const [line, ...more] = errorLines(lines);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      message: 'request failed',
      code,
      detail: 'Fetcher failed.',
      cause: { name: 'RangeError', message: 'socket hang up' },
    });
  });

  it('logs a 5xx whose cause is not an Error without a cause', async () => {
    const { lines } = await respond(new MatcherError('MTCH-0207', 'Fetcher failed.', { cause: 'a string' }));
    const [line] = errorLines(lines);
    expect(line).toMatchObject({ code: 'MTCH-0207', detail: 'Fetcher failed.' });
    expect(line).not.toHaveProperty('cause');
  });

  it('answers any other error with 500 MTCH-0002 "internal error", logging only its name and message', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const { response, lines } = await respond(bug);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body!)).toMatchObject({ code: 'MTCH-0002', detail: 'internal error' });
    const [line, ...more] = errorLines(lines);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      code: 'MTCH-0002',
      detail: 'internal error',
      cause: { name: 'TypeError', message: 'cannot read properties of undefined' },
    });
    expect(JSON.stringify(line)).not.toContain('stack');
  });

  it("never writes the secret a 5xx's cause carries", async () => {
    const secret = 'canary-password-5xx';
    const release = withhold(secret);
    try {
      const { response, lines } = await respond(
        new MatcherError('MTCH-0207', 'Fetcher failed.', { cause: new Error(`auth as ${secret} failed`) }),
      );
      expect(errorLines(lines)).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain(secret);
      expect(errorLines(lines)[0]).toMatchObject({ cause: { message: 'auth as [REDACTED] failed' } });
      expect(response.body).not.toContain(secret);
    } finally {
      release();
    }
  });

  it('counts JwksFailures for MTCH-0008 only', async () => {
    const add = vi.spyOn(metrics, 'addMetric');
    await respond(new MatcherError('MTCH-0008', 'The signing keys are unavailable; try again shortly.', { retryAfterSeconds: 5 }));
    expect(add).toHaveBeenCalledExactlyOnceWith('JwksFailures', MetricUnit.Count, 1);
    add.mockClear();
    await respond(new MatcherError('MTCH-0203', 'Fetcher is unavailable.'));
    await respond(new AuthFailure('MTCH-0003', 'The bearer token is invalid or expired.', 'invalid_token'));
    expect(add).not.toHaveBeenCalled();
  });
});
