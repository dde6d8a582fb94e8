import type { MiddlewareObj } from '@middy/core';
import { MatcherError } from '../discovery/errors.ts';
import type { HostPolicy } from '../discovery/host-policy.ts';
import { connectionRequestSchema, HOST_REFUSED } from './connection-request-schema.ts';
import type { DiscoveryContext, HttpEvent, HttpResult } from './request-context.ts';
import { fieldErrorsOf } from './validation-errors.ts';

// A body of thousands of unknown keys must not turn into a response many times its size.
export const MAX_FIELD_ERRORS = 25;

/**
 * Validates context.json into context.input, reporting every problem at once. A host refused by the
 * host policy is MTCH-0209 when it is the only problem, and one entry among the others otherwise.
 */
export const validateConnectionRequest = (hostPolicy: HostPolicy): MiddlewareObj<HttpEvent, HttpResult, Error, DiscoveryContext> => {
  const schema = connectionRequestSchema(hostPolicy);
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.context.json);
      if (parsed.success) {
        request.context.input = parsed.data;
        return;
      }
      const all = fieldErrorsOf(parsed.error.issues, request.context.json);
      const errors = all.slice(0, MAX_FIELD_ERRORS);
      const onlyHost = parsed.error.issues.every((issue) => issue.code === 'custom' && issue.params?.[HOST_REFUSED]);
      if (onlyHost) throw new MatcherError('MTCH-0209', 'The host is not allowed.', { errors });
      const detail =
        all.length > errors.length
          ? `The request body failed validation; the first ${errors.length} of ${all.length} problems are listed.`
          : 'The request body failed validation.';
      throw new MatcherError('MTCH-0005', detail, { errors });
    },
  };
};
