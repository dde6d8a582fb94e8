import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

const MAX = 65_536;
// Generous for a loaded CI machine; a pathological parse or regex would take seconds.
const BOUND_MS = 1_500;

const timed = async (body: string): Promise<Answer> => {
  const started = Date.now();
  const answer = await service.invoke({ body });
  expect(Date.now() - started).toBeLessThan(BOUND_MS);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  return answer;
};

const justUnder = (build: (n: number) => string) => {
  let n = 1;
  while (build(n * 2).length < MAX) n *= 2;
  while (build(n + 1).length < MAX) n += Math.max(1, Math.floor((MAX - build(n).length) / 16));
  return build(n);
};

describe('hostile input sizes and shapes: never a 500, never a crash, bounded time', () => {
  it('deeply nested arrays and objects', async () => {
    const arrays = justUnder((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
    expect((await timed(arrays)).body).toMatchObject({ code: 'MTCH-0005', errors: [{ location: 'body', message: 'expected object' }] });
    const objects = justUnder((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
    expect((await timed(objects)).body.errors).toContainEqual({ location: 'body.a', message: 'unexpected property' });
    const inField = JSON.stringify(validBody()).replace('"port":5432', `"port":${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect((await timed(inField)).body.errors).toEqual([{ location: 'body.port', message: 'expected integer' }]);
  });

  it('huge strings in every field', async () => {
    const huge = 'x'.repeat(60_000);
    for (const field of ['configName', 'databaseType', 'host', 'databaseName', 'userName', 'password', 'schema']) {
      const answer = await timed(JSON.stringify(validBody({ [field]: huge })));
      expect(answer.body.errors[0].location).toBe(`body.${field}`);
      expect(answer.raw.length).toBeLessThan(2_000);
    }
  });

  it('a pathological host for the name checks', async () => {
    const answer = await timed(JSON.stringify(validBody({ host: `${'a-'.repeat(120)}!` })));
    expect(answer.body.code).toBe('MTCH-0209');
  });

  it('thousands of keys: the answer lists the first 25 problems only', async () => {
    const keys = justUnder((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 0]))));
    const answer = await timed(keys);
    expect(answer.body.errors).toHaveLength(25);
    expect(answer.body.detail).toMatch(/^The request body failed validation; the first 25 of \d+ problems are listed\.$/);
    expect(answer.raw.length).toBeLessThan(4_000);
  });

  it('long, unprintable or odd property names are not echoed in locations', async () => {
    const answer = await timed(JSON.stringify({ ...validBody(), ['k'.repeat(5_000)]: 1, 'new\nline': 1, ok_name: 1 }));
    expect(answer.body.errors).toEqual([
      { location: 'body', message: 'unexpected property' },
      { location: 'body', message: 'unexpected property' },
      { location: 'body.ok_name', message: 'unexpected property' },
    ]);
  });

  it('duplicate keys: the last one wins', async () => {
    const raw = JSON.stringify(validBody()).replace('"port":5432', '"port":5432,"port":70000');
    expect((await timed(raw)).body.errors).toEqual([{ location: 'body.port', message: 'expected number <= 65535', value: 70000 }]);
  });

  it('__proto__ and constructor keys are unexpected properties and pollute nothing', async () => {
    const raw = JSON.stringify(validBody()).replace(
      '{',
      '{"__proto__":{"isAdmin":true,"port":1},"constructor":{"prototype":{"polluted":1}},',
    );
    const answer = await timed(raw);
    expect(answer.body.errors).toEqual([
      { location: 'body.__proto__', message: 'unexpected property' },
      { location: 'body.constructor', message: 'unexpected property' },
    ]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a lone surrogate', '\ud800abc'],
    ['a NUL', 'led\u0000ger'],
    ['a line break', 'led\nger'],
    ['an escape character', '\u001b[31mred'],
  ])('refuses a name with %s', async (_, value) => {
    const answer = await timed(JSON.stringify(validBody({ databaseName: value })));
    expect(answer.body.errors).toEqual([{ location: 'body.databaseName', message: 'expected a string of printable characters', value }]);
  });

  it('accepts printable Unicode in names, and any character in the password', async () => {
    const answer = await service.invoke({
      body: validBody({ databaseName: 'données_😀', userName: 'Zoë', password: 'p\u0000ss\nwörd\ud83d\ude00' }),
    });
    expect(answer.status).toBe(201);
  });

  it('non-object JSON of every kind', async () => {
    for (const raw of ['null', 'true', '0', '-1e999', '"a string"', '[]', '[{}]']) {
      expect((await timed(raw)).body).toMatchObject({ code: 'MTCH-0005', errors: [{ location: 'body', message: 'expected object' }] });
    }
  });

  it('numbers at the edges of JSON', async () => {
    for (const port of ['1e400', '-0', '5432.0000000000001', '9007199254740993', '1E3']) {
      const raw = JSON.stringify(validBody()).replace('"port":5432', `"port":${port}`);
      const answer = await service.invoke({ body: raw });
      expect(answer.status === 201 || answer.status === 422).toBe(true);
    }
  });
});
