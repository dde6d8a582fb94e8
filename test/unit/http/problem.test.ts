import { describe, expect, it } from 'vitest';
import { AuthFailure } from '../../../functions/http/auth-failure.ts';
import { MatcherError, type ErrorCode } from '../../../functions/discovery/errors.ts';
import { asMatcherError, problemFor, problemResponse } from '../../../functions/http/problem.ts';

const CATALOGUE: [ErrorCode, number, string][] = [
  ['MTCH-0001', 400, 'Bad Request'],
  ['MTCH-0002', 500, 'Internal Server Error'],
  ['MTCH-0003', 401, 'Unauthorized'],
  ['MTCH-0004', 403, 'Forbidden'],
  ['MTCH-0005', 422, 'Unprocessable Entity'],
  ['MTCH-0006', 415, 'Unsupported Media Type'],
  ['MTCH-0007', 413, 'Content Too Large'],
  ['MTCH-0008', 503, 'Service Unavailable'],
  ['MTCH-0018', 409, 'Conflict'],
  ['MTCH-0019', 422, 'Unprocessable Entity'],
  ['MTCH-0020', 400, 'Bad Request'],
  ['MTCH-0201', 404, 'Not Found'],
  ['MTCH-0203', 503, 'Service Unavailable'],
  ['MTCH-0205', 409, 'Conflict'],
  ['MTCH-0206', 409, 'Conflict'],
  ['MTCH-0207', 502, 'Bad Gateway'],
  ['MTCH-0208', 504, 'Gateway Timeout'],
  ['MTCH-0209', 422, 'Unprocessable Entity'],
];

describe('problem mapping', () => {
  it.each(CATALOGUE)('renders %s as %d %s', (code, status, title) => {
    const problem = problemFor(new MatcherError(code, 'what happened'), 'req-1');
    expect(problem).toEqual({ type: 'about:blank', title, status, detail: 'what happened', instance: 'urn:request:req-1', code });
  });

  it('keeps field errors and omits an empty list', () => {
    const errors = [{ location: 'body.port', message: 'expected integer', value: 'x' }];
    expect(problemFor(new MatcherError('MTCH-0005', 'invalid', { errors }), 'r').errors).toEqual(errors);
    expect(problemFor(new MatcherError('MTCH-0005', 'invalid', { errors: [] }), 'r')).not.toHaveProperty('errors');
  });

  it('turns any other error into MTCH-0002 that says only "internal error"', () => {
    const secretish = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const response = problemResponse(asMatcherError(secretish), 'req-2');
    expect(response.statusCode).toBe(500);
    const body = JSON.parse(response.body!);
    expect(body).toMatchObject({ code: 'MTCH-0002', detail: 'internal error', status: 500 });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('ECONNREFUSED');
  });

  it('sets problem+json, no-store, Retry-After and the bearer challenge', () => {
    expect(problemResponse(new MatcherError('MTCH-0203', 'busy', { retryAfterSeconds: 7 }), 'r').headers).toStrictEqual({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'Retry-After': '7',
    });
    expect(problemResponse(new AuthFailure('MTCH-0003', 'no token', 'none'), 'r').headers).toStrictEqual({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'WWW-Authenticate': 'Bearer realm="matcher"',
    });
  });

  it.each(CATALOGUE.filter(([, status]) => status < 500))('answers the 4xx %s with no Retry-After and no challenge', (code) => {
    expect(problemResponse(new MatcherError(code, 'caller error'), 'r').headers).toStrictEqual({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
    });
  });

  it('renders every bearer challenge exactly', () => {
    const challenge = (failure: AuthFailure) => problemResponse(failure, 'r').headers?.['WWW-Authenticate'];
    expect(challenge(new AuthFailure('MTCH-0003', 'bad', 'invalid_token'))).toBe('Bearer realm="matcher", error="invalid_token"');
    expect(challenge(new AuthFailure('MTCH-0003', 'bad', 'invalid_request'))).toBe('Bearer realm="matcher", error="invalid_request"');
    expect(challenge(new AuthFailure('MTCH-0004', 'no', 'insufficient_scope', 'discovery:read'))).toBe(
      'Bearer error="insufficient_scope", scope="discovery:read"',
    );
    expect(challenge(new AuthFailure('MTCH-0004', 'no', 'insufficient_scope'))).toBe('Bearer error="insufficient_scope", scope=""');
  });

  it('says Retry-After 0 when told to', () => {
    expect(problemResponse(new MatcherError('MTCH-0203', 'busy', { retryAfterSeconds: 0 }), 'r').headers).toHaveProperty(
      'Retry-After',
      '0',
    );
  });

  it('leaves a MatcherError as it is', () => {
    const error = new MatcherError('MTCH-0201', 'gone');
    expect(asMatcherError(error)).toBe(error);
    expect(asMatcherError('a string').cause).toBe('a string');
  });
});
