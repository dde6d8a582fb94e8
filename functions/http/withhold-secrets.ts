import type { MiddlewareObj } from '@middy/core';
import { withhold } from '../observability/secret-values.ts';
import type { RouteContext, HttpEvent, HttpResult } from './request-state.ts';

/**
 * Registers the request's bearer token and password with the log scrubber for the life of the
 * request. Attach it after the body is read so the password is known.
 */
export const withholdSecrets = (): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => {
  const releases = new WeakMap<object, () => void>();
  const release = (context: object) => {
    releases.get(context)?.();
    releases.delete(context);
  };
  return {
    before: (request) => {
      const authorization = request.event.headers?.authorization;
      const token = authorization?.replace(/^\s*bearer\s+/i, '').trim();
      const json = request.context.json;
      const password = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).password : undefined;
      // Stryker disable next-line ConditionalExpression: withhold() ignores anything but a string, so this check only narrows the type
      releases.set(request.context, withhold(token, typeof password === 'string' ? password : undefined));
    },
    after: (request) => release(request.context),
    onError: (request) => release(request.context),
  };
};
