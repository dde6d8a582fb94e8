import { MatcherError, type ErrorCode } from '../discovery/errors.ts';

/** The RFC 6750 error an authentication failure answers with in WWW-Authenticate ('none': no token was sent). */
export type BearerChallenge = 'none' | 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** A request refused by authentication or authorisation; problem.ts renders its WWW-Authenticate challenge. */
export class AuthFailure extends MatcherError {
  readonly challenge: BearerChallenge;
  /** The permission that was missing, for insufficient_scope. */
  readonly scope: string | undefined;

  constructor(code: ErrorCode, detail: string, challenge: BearerChallenge, scope?: string, cause?: unknown) {
    super(code, detail, cause === undefined ? {} : { cause });
    this.name = 'AuthFailure';
    this.challenge = challenge;
    this.scope = scope;
  }
}
