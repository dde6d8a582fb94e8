import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalDatabaseType } from '../../../functions/discovery/database-types.ts';
import { detailSchema } from '../../support/detail-schema.ts';
import { startService, type TestService } from '../../support/service.ts';

let service: TestService;
let token: string;
beforeAll(async () => {
  service = await startService();
  token = await service.token();
});
afterAll(() => service.stop());

const RUNS = 60;
const PROPERTY_TIMEOUT_MS = 60_000;

const expectProblemOrCreated = (status: number, raw: string, contentType: string | undefined) => {
  expect(status === 201 || (status >= 400 && status < 500)).toBe(true);
  if (status !== 201) {
    expect(contentType).toBe('application/problem+json');
    const problem = detailSchema.parse(JSON.parse(raw));
    expect(problem.status).toBe(status);
    expect(problem.code).toMatch(/^MTCH-\d{4}$/);
  }
};

/** Near-valid bodies: the real field names with values of any JSON shape, plus stray keys. */
const anyField = fc.oneof(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), fc.string({ unit: 'binary' }), fc.integer());
const nearValid = fc.record(
  {
    configName: anyField,
    databaseType: fc.oneof(anyField, fc.constantFrom('pg', 'MYSQL', ' mssql ', 'Oracle', 'mongo')),
    host: fc.oneof(anyField, fc.domain(), fc.ipV4(), fc.ipV6()),
    port: fc.oneof(anyField, fc.integer({ min: -1, max: 70_000 })),
    databaseName: anyField,
    userName: anyField,
    password: anyField,
    schema: anyField,
    extra: anyField,
  },
  { requiredKeys: [] },
);

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const publicIPv4 = fc.ipV4().filter((ip) => ipaddr.IPv4.isValidFourPartDecimal(ip) && ipaddr.parse(ip).range() === 'unicast');
// Names a database could have: printable, and free of what would extend a DSN or URL (the service refuses those).
const text = fc
  .string({ minLength: 1, maxLength: 60 })
  .filter((s) => s.trim().length > 0 && !/\p{Cc}/u.test(s) && s.isWellFormed() && !/[?&=/;:@#%,()<>{}[\]|\\'"`\s]/u.test(s.trim()));
const aliasSpelling = fc
  .tuple(
    fc.constantFrom(
      'postgres',
      'pg',
      'POSTGRESQL',
      'mysql',
      'mariadb',
      'mongo',
      'MONGODB',
      'mssql',
      'sql-server',
      'SQL_SERVER',
      'oracle',
      'oracledb',
    ),
    fc.boolean(),
    fc.constantFrom('', ' ', '  '),
  )
  .map(([name, upper, pad]) => `${pad}${upper ? name.toUpperCase() : name}${pad}`);

let unique = 0;
const validBodies = fc.record(
  {
    configName: fc.stringMatching(/^[A-Za-z0-9_-]{3,80}$/).map((name) => `${name}-${unique++}`),
    databaseType: aliasSpelling,
    host: fc.oneof(
      label.map((l) => `${l}.example.com`),
      publicIPv4,
    ),
    port: fc.integer({ min: 1, max: 65_535 }),
    databaseName: text,
    userName: text,
    password: fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }),
    schema: text,
  },
  { requiredKeys: ['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName', 'password'] },
);

describe('properties of the endpoint', () => {
  it(
    "any JSON body gives 201 or a 4xx, never a 500, and every problem matches Matcher 4.1.0's Detail schema",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), nearValid), async (body) => {
          const answer = await service.invoke({ body: JSON.stringify(body), token });
          expectProblemOrCreated(answer.status, answer.raw, answer.headers['content-type']);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'any text at all as a body gives a 4xx or 201, never a 500',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (raw) => {
          const answer = await service.invoke({ body: raw, token });
          expectProblemOrCreated(answer.status, answer.raw, answer.headers['content-type']);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'for valid bodies Fetcher receives exactly the validated fields, and the cache never holds the password',
    async () => {
      await fc.assert(
        fc.asyncProperty(validBodies, async (body) => {
          const answer = await service.invoke({ body: JSON.stringify(body), token });
          expect(answer.status).toBe(201);

          const sent = service.fetcher.requests.filter((r) => r.route === 'create').at(-1)!.body as Record<string, unknown>;
          const { metadata, ...fields } = sent;
          expect(fields).toEqual({
            configName: body.configName,
            type: canonicalDatabaseType(body.databaseType),
            host: body.host,
            port: body.port,
            databaseName: body.databaseName.trim(),
            userName: body.userName.trim(),
            password: body.password,
            ...(body.schema?.trim() ? { schema: body.schema.trim() } : {}),
          });
          expect(Object.keys(metadata as object)).toEqual(['matcherRequestId']);

          const item = (await service.cacheItems()).find((i) => i.id === answer.body.id)!;
          expect(item).toBeDefined();
          expect(item).not.toHaveProperty('password');
          if (body.password.length >= 8) expect(JSON.stringify(item)).not.toContain(JSON.stringify(body.password).slice(1, -1));
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
