import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

const createsSoFar = () => service.fetcher.requests.filter((r) => r.route === 'create').length;

const expectValidation = async (body: unknown, errors: unknown[]) => {
  const before = createsSoFar();
  const answer = await service.invoke({ body: body as object, requestId: 'req-422' });
  expect(answer.status).toBe(422);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body).toEqual({
    type: 'about:blank',
    title: 'Unprocessable Entity',
    status: 422,
    detail: 'The request body failed validation.',
    instance: 'urn:request:req-422',
    code: 'MTCH-0005',
    errors,
  });
  expect(createsSoFar()).toBe(before);
};

describe('POST /v1/discovery/connections: validation (422 MTCH-0005)', () => {
  it.each(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName'])(
    'reports a missing %s as one entry',
    async (field) => {
      const body: Record<string, unknown> = validBody();
      delete body[field];
      await expectValidation(body, [{ location: `body.${field}`, message: `expected required property ${field} to be present` }]);
    },
  );

  it('reports an unknown property', async () => {
    await expectValidation({ ...validBody(), ssl: { mode: 'require' } }, [{ location: 'body.ssl', message: 'unexpected property' }]);
  });

  it('reports wrong types, all at once', async () => {
    const body = { ...validBody(), configName: 7, port: '5432', userName: ['a'] };
    await expectValidation(body, [
      { location: 'body.configName', message: 'expected string', value: 7 },
      { location: 'body.port', message: 'expected integer', value: '5432' },
      { location: 'body.userName', message: 'expected string' },
    ]);
  });

  it.each([
    [0, 'expected number >= 1'],
    [65536, 'expected number <= 65535'],
  ])('refuses port %d', async (port, message) => {
    await expectValidation(validBody({ port }), [{ location: 'body.port', message, value: port }]);
  });

  it.each([1, 65535])('accepts port %d', async (port) => {
    expect((await service.invoke({ body: validBody({ port }) })).status).toBe(201);
  });

  it('checks the configName pattern and length', async () => {
    await expectValidation(validBody({ configName: 'has space' }), [
      { location: 'body.configName', message: 'expected string to match pattern ^[A-Za-z0-9_-]+$', value: 'has space' },
    ]);
    await expectValidation(validBody({ configName: 'ab' }), [
      { location: 'body.configName', message: 'expected length >= 3', value: 'ab' },
    ]);
    const long = 'n'.repeat(101);
    await expectValidation(validBody({ configName: long }), [
      { location: 'body.configName', message: 'expected length <= 100', value: long },
    ]);
  });

  it('refuses an unknown databaseType', async () => {
    await expectValidation(validBody({ databaseType: 'cassandra' }), [
      {
        location: 'body.databaseType',
        message: 'expected value to be one of "POSTGRESQL, MYSQL, MONGODB, SQL_SERVER, ORACLE"',
        value: 'cassandra',
      },
    ]);
  });

  it('refuses a body that is not an object at body', async () => {
    await expectValidation([validBody()], [{ location: 'body', message: 'expected object' }]);
  });

  it('answers 422 MTCH-0209 at body.host when the host policy is the only problem', async () => {
    const before = createsSoFar();
    const answer = await service.invoke({ body: validBody({ host: '127.0.0.1' }) });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: 'MTCH-0209',
      errors: [{ location: 'body.host', message: 'host not allowed: loopback address', value: '127.0.0.1' }],
    });
    expect(createsSoFar()).toBe(before);
  });

  it('lists a refused host among the other problems under MTCH-0005', async () => {
    await expectValidation(validBody({ host: 'localhost', port: 0 }), [
      { location: 'body.host', message: 'host not allowed: internal host name', value: 'localhost' },
      { location: 'body.port', message: 'expected number >= 1', value: 0 },
    ]);
  });
});
