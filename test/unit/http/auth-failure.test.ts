import { describe, expect, it } from 'vitest';
import { MatcherError } from '../../../functions/discovery/errors.ts';
import { AuthFailure } from '../../../functions/http/auth-failure.ts';

describe('AuthFailure', () => {
  it('is a MatcherError that carries its challenge and the missing scope', () => {
    const failure = new AuthFailure(
      'MTCH-0004',
      'The token lacks the discovery:write permission.',
      'insufficient_scope',
      'discovery:write',
    );
    expect(failure).toBeInstanceOf(MatcherError);
    expect(failure).toMatchObject({
      name: 'AuthFailure',
      code: 'MTCH-0004',
      detail: 'The token lacks the discovery:write permission.',
      challenge: 'insufficient_scope',
      scope: 'discovery:write',
      retryAfterSeconds: undefined,
      errors: undefined,
    });
  });

  it('keeps the cause only when there is one', () => {
    const cause = new Error('JWTExpired');
    expect(new AuthFailure('MTCH-0003', 'expired', 'invalid_token', undefined, cause).cause).toBe(cause);
    const bare = new AuthFailure('MTCH-0003', 'A bearer token is required.', 'none');
    expect('cause' in bare).toBe(false);
    expect(bare.scope).toBeUndefined();
  });
});
