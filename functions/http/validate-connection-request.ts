import type { MiddlewareObj } from '@middy/core';
import { MatcherError } from '../discovery/errors.ts';
import type { HostPolicy } from '../discovery/host-policy.ts';
import { connectionRequestSchema, HOST_REFUSED } from './connection-request-schema.ts';
import type { DiscoveryContext, HttpEvent, HttpResult } from './request-context.ts';
import { fieldErrorsOf } from './validation-errors.ts';

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
      const errors = fieldErrorsOf(parsed.error.issues, request.context.json);
      const onlyHost = parsed.error.issues.every((issue) => issue.code === 'custom' && issue.params?.[HOST_REFUSED]);
      throw onlyHost
        ? new MatcherError('MTCH-0209', 'The host is not allowed.', { errors })
        : new MatcherError('MTCH-0005', 'The request body failed validation.', { errors });
    },
  };
};
