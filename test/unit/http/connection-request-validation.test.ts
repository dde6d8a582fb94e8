import { describe, expect, it } from 'vitest';
import { createHostPolicy } from '../../../functions/discovery/host-policy.ts';
import { connectionRequestSchema } from '../../../functions/http/connection-request-schema.ts';
import { fieldErrorsOf } from '../../../functions/http/field-errors.ts';

const schema = connectionRequestSchema(createHostPolicy({ allowedCidrs: [] }));

const valid = {
  configName: 'prod-ledger-db',
  databaseType: 'POSTGRESQL',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'ledger',
  userName: 'matcher_ro',
  password: 'pw',
};

const errorsFor = (body: unknown) => {
  const parsed = schema.safeParse(body);
  return parsed.success ? [] : fieldErrorsOf(parsed.error.issues, body);
};

describe('connection request validation', () => {
  it('accepts a valid body and normalises it', () => {
    const parsed = schema.parse({ ...valid, configName: ' prod-ledger-db ', databaseType: 'pg', schema: ' public ', password: ' pw ' });
    expect(parsed).toEqual({ ...valid, databaseType: 'POSTGRESQL', schema: 'public', password: ' pw ' });
  });

  it('treats an empty schema as unset and allows a missing password', () => {
    const { password: _, ...withoutPassword } = valid;
    expect(schema.parse({ ...withoutPassword, schema: '   ' })).toEqual(withoutPassword);
  });

  it.each(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName'])('reports a missing %s at body.%s', (field) => {
    const body: Record<string, unknown> = { ...valid };
    delete body[field];
    expect(errorsFor(body)).toEqual([{ location: `body.${field}`, message: `expected required property ${field} to be present` }]);
  });

  it('reports every problem at once, in field order', () => {
    expect(errorsFor({ port: 0, extra: true })).toEqual([
      { location: 'body.configName', message: 'expected required property configName to be present' },
      { location: 'body.databaseType', message: 'expected required property databaseType to be present' },
      { location: 'body.host', message: 'expected required property host to be present' },
      { location: 'body.port', message: 'expected number >= 1', value: 0 },
      { location: 'body.databaseName', message: 'expected required property databaseName to be present' },
      { location: 'body.userName', message: 'expected required property userName to be present' },
      { location: 'body.extra', message: 'unexpected property' },
    ]);
  });

  it.each([
    [0, 'expected number >= 1'],
    [65536, 'expected number <= 65535'],
    [5432.5, 'expected integer'],
    ['5432', 'expected integer'],
    [null, 'expected integer'],
    [true, 'expected integer'],
  ])('refuses port %j with %j', (port, message) => {
    const errors = errorsFor({ ...valid, port });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ location: 'body.port', message });
  });

  it.each([1, 65535])('accepts port %d', (port) => {
    expect(errorsFor({ ...valid, port })).toEqual([]);
  });

  it.each([
    ['ab', [{ location: 'body.configName', message: 'expected length >= 3', value: 'ab' }]],
    ['a'.repeat(101), [{ location: 'body.configName', message: 'expected length <= 100', value: 'a'.repeat(101) }]],
    ['bad name!', [{ location: 'body.configName', message: 'expected string to match pattern ^[A-Za-z0-9_-]+$', value: 'bad name!' }]],
    [
      'a!',
      [
        { location: 'body.configName', message: 'expected length >= 3', value: 'a!' },
        { location: 'body.configName', message: 'expected string to match pattern ^[A-Za-z0-9_-]+$', value: 'a!' },
      ],
    ],
  ])('refuses configName %j', (configName, expected) => {
    expect(errorsFor({ ...valid, configName })).toEqual(expected);
  });

  it('accepts configName lengths 3 and 100 after trimming', () => {
    expect(errorsFor({ ...valid, configName: '  abc  ' })).toEqual([]);
    expect(errorsFor({ ...valid, configName: 'a'.repeat(100) })).toEqual([]);
  });

  it('refuses an unknown databaseType with the canonical list', () => {
    expect(errorsFor({ ...valid, databaseType: 'sqlite' })).toEqual([
      {
        location: 'body.databaseType',
        message: 'expected value to be one of "POSTGRESQL, MYSQL, MONGODB, SQL_SERVER, ORACLE"',
        value: 'sqlite',
      },
    ]);
  });

  it.each([
    ['configName', 42, 'expected string'],
    ['databaseType', ['pg'], 'expected string'],
    ['host', {}, 'expected string'],
    ['databaseName', false, 'expected string'],
    ['userName', null, 'expected string'],
    ['schema', 1, 'expected string'],
  ])('refuses a non-string %s', (field, value, message) => {
    const errors = errorsFor({ ...valid, [field]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.location).toBe(`body.${field}`);
    expect(errors[0]!.message).toBe(message);
  });

  it.each([
    ['databaseName', '', 'expected length >= 1'],
    ['databaseName', 'd'.repeat(256), 'expected length <= 255'],
    ['userName', '   ', 'expected length >= 1'],
    ['userName', 'u'.repeat(256), 'expected length <= 255'],
    ['host', ' ', 'expected length >= 1'],
    ['host', `${'a'.repeat(60)}.`.repeat(5), 'expected length <= 253'],
    ['schema', 's'.repeat(256), 'expected length <= 255'],
  ])('checks the length of %s', (field, value, message) => {
    expect(errorsFor({ ...valid, [field]: value })[0]).toMatchObject({ location: `body.${field}`, message });
  });

  it('refuses a password over 4096 characters and never echoes it', () => {
    const errors = errorsFor({ ...valid, password: 'p'.repeat(4097) });
    expect(errors).toEqual([{ location: 'body.password', message: 'expected length <= 4096' }]);
  });

  it('never echoes a password, an unknown property or a long value', () => {
    const errors = errorsFor({ ...valid, password: 12345, Password: 'hunter22', configName: 'x'.repeat(300) });
    expect(errors).toEqual([
      { location: 'body.configName', message: 'expected length <= 100' },
      { location: 'body.password', message: 'expected string' },
      { location: 'body.Password', message: 'unexpected property' },
    ]);
  });

  it.each([[[]], [null], ['text'], [42]])('refuses a body that is not an object (%j) at body', (body) => {
    expect(errorsFor(body)).toEqual([{ location: 'body', message: 'expected object' }]);
  });

  it('refuses __proto__ and constructor keys as unknown properties', () => {
    const body = JSON.parse(`{"__proto__": {"admin": true}, "constructor": 1, ${JSON.stringify(valid).slice(1)}`);
    expect(errorsFor(body)).toEqual([
      { location: 'body.__proto__', message: 'unexpected property' },
      { location: 'body.constructor', message: 'unexpected property' },
    ]);
  });

  it('puts a host refused by the host policy at body.host', () => {
    expect(errorsFor({ ...valid, host: '169.254.169.254' })).toEqual([
      { location: 'body.host', message: 'host not allowed: linkLocal address', value: '169.254.169.254' },
    ]);
  });

  it.each([
    ['databaseName', 'led\u0000ger'],
    ['userName', 'ro\nadmin'],
    ['configName', 'abc\u007f'],
    ['schema', 'pub\u0085lic'],
    ['host', 'db.exa\rmple.com'],
    ['databaseName', 'a\uD800b'],
  ])('refuses %s %j: control characters and lone surrogates are not printable', (field, value) => {
    expect(errorsFor({ ...valid, [field]: value })).toContainEqual({
      location: `body.${field}`,
      message: 'expected a string of printable characters',
      value,
    });
  });

  it('accepts any other Unicode in names', () => {
    expect(errorsFor({ ...valid, databaseName: 'базa_数据_🚀', userName: 'ünï', schema: 'ß' })).toEqual([]);
  });

  it('reports a host of the wrong length once, without asking the host policy', () => {
    const name = (length: number) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 196)}.com`;
    expect(errorsFor({ ...valid, host: '' })).toEqual([{ location: 'body.host', message: 'expected length >= 1', value: '' }]);
    expect(errorsFor({ ...valid, host: name(254) })).toEqual([
      { location: 'body.host', message: 'expected length <= 253', value: name(254) },
    ]);
    expect(errorsFor({ ...valid, host: name(253) })).toEqual([]);
  });

  it('asks the host policy about a host of exactly 253 characters', () => {
    const local = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(55)}.local`;
    expect(local).toHaveLength(253);
    expect(errorsFor({ ...valid, host: local })).toEqual([
      { location: 'body.host', message: 'host not allowed: internal host name', value: local },
    ]);
  });
});

describe('names that could smuggle connection options', () => {
  const message = 'expected no URL or DSN metacharacters (?&=/;:@#%,()<>{}[]|\\, quotes or whitespace)';
  it.each([
    ['databaseName', 'ledger?sslmode=disable'],
    ['databaseName', 'ledger&user=admin'],
    ['databaseName', 'ledger;Integrated Security=true'],
    ['databaseName', 'ledger/other'],
    ['databaseName', 'ledger db'],
    ['databaseName', "ledger'--"],
    ['databaseName', '(DESCRIPTION=(ADDRESS=(HOST=10.0.0.1)))'],
    ['databaseName', 'ledger#frag'],
    ['databaseName', 'ledger%00'],
    ['schema', 'public;drop'],
    ['schema', 'a b'],
    ['schema', 'search_path=evil'],
    ['userName', 'ro:pw'],
    ['userName', 'ro@evil.example.com@db'],
    ['userName', '@server'],
    ['userName', 'ro@'],
    ['userName', 'ro?host=10.0.0.1'],
    ['userName', 'ro"'],
    ['userName', 'ro\u2003x'],
  ])('refuses %s %j', (field, value) => {
    expect(errorsFor({ ...valid, [field]: value })).toEqual([{ location: `body.${field}`, message, value }]);
  });

  it.each([
    ['databaseName', 'ledger_2024'],
    ['databaseName', 'ledger-prod.eu'],
    ['databaseName', 'ORCLPDB1'],
    ['databaseName', 'db$main'],
    ['schema', 'public'],
    ['schema', 'reporting_v2'],
    ['userName', 'matcher_ro'],
    ['userName', 'matcher_ro@my-server'],
    ['userName', 'svc.matcher-ro'],
    ['userName', 'ÜNICODE_user'],
  ])('accepts %s %j', (field, value) => {
    expect(errorsFor({ ...valid, [field]: value })).toEqual([]);
  });
});
