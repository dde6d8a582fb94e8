import type { MiddlewareObj } from '@middy/core';
import type * as z from 'zod';
import { MatcherError } from '../discovery/errors.ts';
import { fieldErrorsOf, HOST_REFUSED, type FieldErrorOptions, type Place } from './field-errors.ts';
import type { HttpEvent, HttpResult, RouteContext } from './request-state.ts';

// A request of thousands of unknown keys must not turn into a response many times its size.
export const MAX_FIELD_ERRORS = 25;

const PROBLEM_IN: Record<Place, string> = { body: 'The request body', query: 'The query string', path: 'The path' };

/** Where each part of the request is read from, and where its validated value goes. */
const READ: Record<Place, (request: { event: HttpEvent; context: RouteContext }) => unknown> = {
  body: ({ context }) => context.json,
  // A parameter given twice arrives comma-joined; it then fails its own rule.
  query: ({ event }) => ({ ...event.queryStringParameters }),
  path: ({ event }) => ({ ...event.pathParameters }),
};

/**
 * Validates one part of the request against a zod schema, reporting every problem at once (at most
 * MAX_FIELD_ERRORS). A host refused by the host policy is MTCH-0209 when it is the only problem, and
 * one entry among the others otherwise.
 */
export const validateRequest = (
  place: Place,
  schema: z.ZodType,
  echoable: FieldErrorOptions['echoable'] = new Set(),
): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  before: (request) => {
    const input = READ[place](request);
    const parsed = schema.safeParse(input);
    if (parsed.success) {
      request.context[place] = parsed.data;
      return;
    }
    const all = fieldErrorsOf(parsed.error.issues, input, place === 'body' ? undefined : { place, echoable });
    const errors = all.slice(0, MAX_FIELD_ERRORS);
    const onlyHost = parsed.error.issues.every((issue) => issue.code === 'custom' && issue.params?.[HOST_REFUSED]);
    if (onlyHost) throw new MatcherError('MTCH-0209', 'The host is not allowed.', { errors });
    const what = PROBLEM_IN[place];
    const detail =
      all.length > errors.length
        ? `${what} failed validation; the first ${errors.length} of ${all.length} problems are listed.`
        : `${what} failed validation.`;
    throw new MatcherError('MTCH-0005', detail, { errors });
  },
});
