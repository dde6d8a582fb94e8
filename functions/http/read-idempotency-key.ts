import type { MiddlewareObj } from '@middy/core';
import { MatcherError } from '../discovery/errors.ts';
import type { RouteContext, HttpEvent, HttpResult } from './request-state.ts';

// 1 to 255 printable ASCII characters, as most APIs that take the header allow.
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/** Reads the optional Idempotency-Key header into context.idempotencyKey; a malformed one is 400. */
export const readIdempotencyKey = (): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  before: (request) => {
    const key = request.event.headers?.['idempotency-key'];
    if (key === undefined) return;
    if (!VALID_KEY.test(key) || key.trim() === '') {
      throw new MatcherError('MTCH-0020', 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    request.context.idempotencyKey = key;
  },
});
