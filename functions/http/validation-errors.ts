import type * as z from 'zod';
import type { FieldError } from '../discovery/errors.ts';
import { WORDED } from './connection-request-schema.ts';

/** Fields whose value may be echoed in errors[].value; the password and unknown properties never are. */
const ECHOABLE = new Set(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'schema']);
// Long strings are not echoed: errors[] must never turn into a copy of the body.
const MAX_ECHO_LENGTH = 256;
// Unknown property names are shown only when short and printable; otherwise the location is the body.
const SHOWABLE_KEY = /^[\x21-\x7e]{1,64}$/;

const expectedType = (expected: string): string => (expected === 'int' || expected === 'number' ? 'integer' : expected);

const messageOf = (issue: z.core.$ZodIssue, present: boolean): string => {
  const field = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      return !present && field !== undefined
        ? `expected required property ${String(field)} to be present`
        : `expected ${expectedType(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string' ? `expected length >= ${issue.minimum}` : `expected number >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string' ? `expected length <= ${issue.maximum}` : `expected number <= ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex'
        ? `expected string to match pattern ${issue.pattern?.replace(/^\/(.*)\/[a-z]*$/, '$1')}`
        : `expected ${issue.format}`;
    case 'custom':
      return issue.params?.[WORDED] ? issue.message : 'invalid value';
    default:
      return 'invalid value';
  }
};

const echoable = (field: string, value: unknown): value is string | number | boolean =>
  ECHOABLE.has(field) &&
  (typeof value === 'number'
    ? Number.isFinite(value)
    : typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_ECHO_LENGTH));

/** Zod issues in Huma's wording and locations: one entry per problem, unknown properties one each. */
export const fieldErrorsOf = (issues: readonly z.core.$ZodIssue[], body: unknown): FieldError[] => {
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  return issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ location: SHOWABLE_KEY.test(key) ? `body.${key}` : 'body', message: 'unexpected property' }));
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (field === undefined || !object) return [{ location: 'body', message: messageOf(issue, true) }];
    const present = Object.hasOwn(object, field);
    const value = object[field];
    return [{ location: `body.${field}`, message: messageOf(issue, present), ...(present && echoable(field, value) ? { value } : {}) }];
  });
};
