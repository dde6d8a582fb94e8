import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { fieldErrorsOf, HOST_REFUSED, WORDED, type FieldErrorOptions } from '../../../functions/http/field-errors.ts';

const QUERY: FieldErrorOptions = { place: 'query', echoable: new Set(['limit', 'name', 'flag']) };

/** The field errors for `input` against `schema` (in the body, unless options say otherwise). */
const errorsOf = (schema: z.ZodType, input: unknown, options?: FieldErrorOptions) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to fail');
  return fieldErrorsOf(parsed.error.issues, input, options);
};

describe('fieldErrorsOf: messages in Huma wording', () => {
  it.each([
    [z.object({ port: z.int() }), { port: 'x' }, 'expected integer'],
    [z.object({ port: z.number() }), { port: 'x' }, 'expected integer'],
    [z.object({ port: z.string() }), { port: 1 }, 'expected string'],
    [z.object({ port: z.boolean() }), { port: 1 }, 'expected boolean'],
    [z.object({ port: z.object({}) }), { port: 1 }, 'expected object'],
    [z.object({ port: z.string().min(3) }), { port: 'ab' }, 'expected length >= 3'],
    [z.object({ port: z.string().max(3) }), { port: 'abcd' }, 'expected length <= 3'],
    [z.object({ port: z.int().min(1) }), { port: 0 }, 'expected number >= 1'],
    [z.object({ port: z.int().max(9) }), { port: 10 }, 'expected number <= 9'],
    [z.object({ port: z.string().regex(/^[a-z]+$/) }), { port: 'A' }, 'expected string to match pattern ^[a-z]+$'],
    [z.object({ port: z.string().regex(/^a\/b$/giu) }), { port: 'A' }, 'expected string to match pattern ^a\\/b$'],
    [z.object({ port: z.uuid() }), { port: 'not-a-uuid' }, 'expected uuid'],
    [z.object({ port: z.enum(['a', 'b']) }), { port: 'c' }, 'expected value to be one of "a, b"'],
    [z.object({ port: z.literal(3) }), { port: 4 }, 'expected value to be one of "3"'],
    [z.object({ port: z.string().refine(() => false, { message: 'own words', params: { [WORDED]: true } }) }), { port: 'x' }, 'own words'],
    [z.object({ port: z.string().refine(() => false, { message: 'internal detail' }) }), { port: 'x' }, 'invalid value'],
    [z.object({ port: z.int().multipleOf(5) }), { port: 7 }, 'invalid value'],
  ])('words %#: %j', (schema, input, message) => {
    expect(errorsOf(schema, input, QUERY)).toEqual([expect.objectContaining({ location: 'query.port', message })]);
  });

  it('says a missing property is required, naming it', () => {
    expect(errorsOf(z.object({ name: z.string() }), {})).toEqual([
      { location: 'body.name', message: 'expected required property name to be present' },
    ]);
  });

  it('says what a present but null property should be', () => {
    expect(errorsOf(z.object({ name: z.string() }), { name: null })).toEqual([{ location: 'body.name', message: 'expected string' }]);
  });

  it('locates a nested problem at its top-level field', () => {
    expect(errorsOf(z.object({ port: z.object({ inner: z.string() }) }), { port: { inner: 1 } })).toEqual([
      { location: 'body.port', message: 'expected string' },
    ]);
  });

  it('uses the host policy wording for a refused host', () => {
    const host = z.string().superRefine((_, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'host not allowed: loopback address', params: { [HOST_REFUSED]: true, [WORDED]: true } });
    });
    expect(errorsOf(z.object({ host }), { host: '127.0.0.1' })).toEqual([
      { location: 'body.host', message: 'host not allowed: loopback address', value: '127.0.0.1' },
    ]);
  });
});

describe('fieldErrorsOf: locations', () => {
  it.each([[null], [[1]], ['text'], [7]])('locates every problem of the non-object %j at the place itself', (input) => {
    expect(errorsOf(z.object({ a: z.string() }), input, QUERY)).toEqual([{ location: 'query', message: 'expected object' }]);
  });

  it('locates the problems of an array input at the place, not at an index', () => {
    expect(errorsOf(z.array(z.string()), ['a', 1])).toEqual([{ location: 'body', message: 'expected string' }]);
  });

  it('locates the problems of a schema that reshapes a non-object input at the place', () => {
    const reshaped = z
      .string()
      .transform(() => ({}))
      .pipe(z.object({ a: z.string() }));
    expect(errorsOf(reshaped, 'text')).toEqual([{ location: 'body', message: 'expected string' }]);
    const fromNull = z
      .null()
      .transform(() => ({}))
      .pipe(z.object({ a: z.string() }));
    expect(errorsOf(fromNull, null)).toEqual([{ location: 'body', message: 'expected string' }]);
  });

  it('locates a problem of the whole object at the place', () => {
    const whole = z.object({ a: z.string() }).refine(() => false, { message: 'no', params: { [WORDED]: true } });
    expect(errorsOf(whole, { a: 'x' })).toEqual([{ location: 'body', message: 'no' }]);
  });

  it('lists unknown properties one each, showing only short printable names', () => {
    const keys = ['extra', '!~', 'k'.repeat(64), 'k'.repeat(65), 'with space', '', 'tab\t', 'del\x7f', 'ünï'];
    const input = Object.fromEntries(keys.map((key) => [key, 1]));
    expect(errorsOf(z.strictObject({}), input, QUERY)).toEqual([
      { location: 'query.extra', message: 'unexpected property' },
      { location: 'query.!~', message: 'unexpected property' },
      { location: `query.${'k'.repeat(64)}`, message: 'unexpected property' },
      ...['k'.repeat(65), 'with space', '', 'tab\t', 'del\x7f', 'ünï'].map(() => ({ location: 'query', message: 'unexpected property' })),
    ]);
  });

  it('puts body errors at body.<field> by default and path errors at path.<field>', () => {
    expect(errorsOf(z.object({ id: z.uuid() }), { id: 'x' })[0]!.location).toBe('body.id');
    expect(errorsOf(z.object({ id: z.uuid() }), { id: 'x' }, { place: 'path', echoable: new Set() })[0]!.location).toBe('path.id');
  });
});

describe('fieldErrorsOf: echoed values', () => {
  const schema = z.object({ limit: z.never(), name: z.never(), flag: z.never(), other: z.never() });
  const valueOf = (field: string, value: unknown) =>
    errorsOf(schema, { [field]: value }, QUERY).find(({ location }) => location === `query.${field}`)!;

  it.each([
    ['limit', 7],
    ['limit', -0.5],
    ['flag', false],
    ['name', ''],
    ['name', 'n'.repeat(256)],
  ])('echoes %s=%j', (field, value) => {
    expect(valueOf(field, value)).toHaveProperty('value', value);
  });

  it.each([
    ['limit', Number.NaN],
    ['limit', Number.POSITIVE_INFINITY],
    ['name', 'n'.repeat(257)],
    ['name', { nested: 'object' }],
    ['name', ['list']],
    ['name', null],
    ['name', undefined],
    ['other', 'not echoable'],
  ])('does not echo %s=%j', (field, value) => {
    expect(valueOf(field, value)).not.toHaveProperty('value');
  });

  it('echoes the connection fields of a body by default, never its password', () => {
    const fields = ['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'schema', 'password'];
    const body = z.object(Object.fromEntries(fields.map((field) => [field, z.never()])));
    const input = Object.fromEntries(fields.map((field) => [field, `${field}-value`]));
    expect(errorsOf(body, input)).toEqual(
      fields.map((field) => ({
        location: `body.${field}`,
        message: 'expected never',
        ...(field === 'password' ? {} : { value: `${field}-value` }),
      })),
    );
  });

  it('echoes nothing for a property that is missing', () => {
    expect(errorsOf(z.object({ limit: z.int() }), {}, QUERY)).toEqual([
      { location: 'query.limit', message: 'expected required property limit to be present' },
    ]);
  });
});
