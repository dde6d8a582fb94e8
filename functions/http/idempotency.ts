import type { MiddlewareObj } from '@middy/core';
import { MatcherError } from '../discovery/errors.ts';
import type { HttpEvent, HttpResult, RouteContext } from './request-state.ts';
import type { Claim, IdempotencyScope } from '../discovery/idempotency-scope.ts';

/** Where Idempotency-Key records are kept (functions/adapters/dynamodb/idempotency-persistence.ts). */
export interface IdempotencyRecords {
  claim(scope: IdempotencyScope, payload: Record<string, unknown>, remainingMs: number): Promise<Claim>;
  complete(scope: IdempotencyScope, payload: Record<string, unknown>, response: HttpResult): Promise<void>;
  release(scope: IdempotencyScope, payload: Record<string, unknown>): Promise<void>;
}

export interface IdempotencyObserver {
  /** The record could not be updated after the work ran (its answer, or its release). */
  recordFailed(error: unknown): void;
}

const IN_PROGRESS_RETRY_AFTER_SECONDS = 2;

/**
 * Idempotency-Key: the first request with a key runs and its answer is stored; a replay gets that
 * answer, byte for byte, with `Idempotent-Replayed: true`, and nothing runs again. The key is scoped
 * to the route and the authenticated caller, and the payload is the validated body, so place it after
 * authentication and validation. Failures are not stored: the key can be retried.
 */
export const idempotency = ({
  route,
  records,
  observer,
}: {
  route: string;
  records: IdempotencyRecords;
  observer: IdempotencyObserver;
}): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => {
  const claimed = new WeakMap<object, { scope: IdempotencyScope; payload: Record<string, unknown> }>();
  return {
    before: async ({ context }) => {
      const key = context.idempotencyKey;
      if (key === undefined) return;
      const { tenantId, subject } = context.principal!;
      // The key's namespace is the caller's exact identity: tokens without a subject would all share one.
      if (subject === undefined) {
        throw new MatcherError('MTCH-0020', 'Idempotency-Key needs a token whose subject (sub) says who sent it.');
      }
      const scope = { route, tenantId, subject, key };
      const payload = { ...(context.body as Record<string, unknown>) };
      const claim = await records.claim(scope, payload, context.getRemainingTimeInMillis());
      switch (claim.outcome) {
        case 'claimed':
          claimed.set(context, { scope, payload });
          return;
        case 'completed': {
          const stored = claim.response as HttpResult;
          context.replay = { ...stored, headers: { ...stored.headers, 'Idempotent-Replayed': 'true' } };
          return;
        }
        case 'in-progress':
          throw new MatcherError('MTCH-0018', 'A request with this Idempotency-Key is still in progress.', {
            retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS,
          });
        case 'different-request':
          throw new MatcherError('MTCH-0019', 'This Idempotency-Key was used with a different request body.');
      }
    },
    after: async ({ context, response }) => {
      const mine = claimed.get(context);
      if (!mine || !response) return;
      // The work succeeded but its answer could not be recorded: answer it rather than lose it.
      await records.complete(mine.scope, mine.payload, response).catch((error: unknown) => observer.recordFailed(error));
    },
    onError: async ({ context }) => {
      const mine = claimed.get(context);
      if (!mine) return;
      // The work's own failure (409, 502...) is the answer, even if forgetting its record fails too.
      await records.release(mine.scope, mine.payload).catch((error: unknown) => observer.recordFailed(error));
    },
  };
};
