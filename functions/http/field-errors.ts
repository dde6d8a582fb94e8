import type * as z from 'zod';
import type { FieldError } from '../discovery/errors.ts';

/** Marks issues raised by the host policy, so they can answer MTCH-0209 rather than MTCH-0005. */
// Stryker disable next-line StringLiteral: a marker key; any name does, since both sides read this constant
export const HOST_REFUSED = 'host-refused';
/** Marks issues whose message is already in the contract's wording. */
// Stryker disable next-line StringLiteral: a marker key; any name does, since both sides read this constant
export const WORDED = 'worded';

/** Where a value came from: its errors are located at `<place>.<field>`. */
export type Place = 'body' | 'query' | 'path';

export interface FieldErrorOptions {
  place: Place;
  /** Fields whose value may be echoed in errors[].value: never a secret, never an unknown property. */
  echoable: ReadonlySet<string>;
}

const BODY: FieldErrorOptions = {
  place: 'body',
  echoable: new Set(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'schema']),
};
// Long strings are not echoed: errors[] must never turn into a copy of the request.
const MAX_ECHO_LENGTH = 256;
// Unknown property names are shown only when short and printable; otherwise the location is the place itself.
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
    case 'invalid_value':
      return `expected value to be one of "${issue.values.map(String).join(', ')}"`;
    case 'custom':
      return issue.params?.[WORDED] ? issue.message : 'invalid value';
    default:
      return 'invalid value';
  }
};

const echoable = (options: FieldErrorOptions, field: string, value: unknown): value is string | number | boolean =>
  options.echoable.has(field) &&
  (typeof value === 'number'
    ? Number.isFinite(value)
    : typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_ECHO_LENGTH));

/** Zod issues in Huma's wording and locations: one entry per problem, unknown properties one each. */
export const fieldErrorsOf = (issues: readonly z.core.$ZodIssue[], input: unknown, options: FieldErrorOptions = BODY): FieldError[] => {
  const object = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  const { place } = options;
  return issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ location: SHOWABLE_KEY.test(key) ? `${place}.${key}` : place, message: 'unexpected property' }));
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (field === undefined || !object) return [{ location: place, message: messageOf(issue, true) }];
    const present = Object.hasOwn(object, field);
    const value = object[field];
    return [
      {
        location: `${place}.${field}`,
        message: messageOf(issue, present),
        ...(present && echoable(options, field, value) ? { value } : {}),
      },
    ];
  });
};
