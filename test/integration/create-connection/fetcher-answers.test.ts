import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '400', SCHEMA_DISCOVERY_BUDGET_MS: '300' });
});
afterEach(() => service.fetcher.clearFaults());
afterAll(() => service.stop());

const cachedNames = async () => (await service.cacheItems()).map((item) => item.configName);

describe('POST /v1/discovery/connections: what Fetcher answers', () => {
  it('answers 409 MTCH-0206 for a duplicate configName and caches nothing for it', async () => {
    const body = validBody();
    expect((await service.invoke({ body })).status).toBe(201);
    // Counted by name: other test files write to the same tenant at the same time.
    const itemsFor = async () => (await service.cacheItems()).filter((item) => item.configName === body.configName).length;
    const itemsBefore = await itemsFor();

    const answer = await service.invoke({ body: { ...body, host: 'other.example.com' } });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      status: 409,
      code: 'MTCH-0206',
      title: 'Conflict',
      detail: 'A connection with this configName already exists.',
    });
    expect(answer.raw).not.toContain('An entity of type connection');
    expect(await itemsFor()).toBe(itemsBefore);
    expect(service.fetcher.connections().filter((c) => c.configName === body.configName)).toHaveLength(1);
  });

  it('answers 422 at body.password when Fetcher refuses a missing password, with nothing cached', async () => {
    const { password: _, ...body } = validBody();
    const answer = await service.invoke({ body });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: 'MTCH-0005',
      errors: [{ location: 'body.password', message: 'expected required property password to be present' }],
    });
    expect(answer.raw).not.toContain('is a required field');
    expect(await cachedNames()).not.toContain(body.configName);
  });

  it('maps a Fetcher field rule to our location (RFC 952 hostnames start with a letter)', async () => {
    const answer = await service.invoke({ body: validBody({ host: '3com.example.com' }) });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ location: 'body.host', message: 'rejected by Fetcher as invalid' }]);
  });

  it('answers 502 MTCH-0207 when Fetcher answers 500, without relaying its text', async () => {
    service.fetcher.inject('create', {
      status: 500,
      body: { code: 'FET-0002', title: 'Internal Server Error', message: 'mongo exploded at 10.1.2.3' },
    });
    const body = validBody();
    const answer = await service.invoke({ body });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ status: 502, code: 'MTCH-0207', title: 'Bad Gateway' });
    expect(answer.raw).not.toContain('mongo');
    expect(await cachedNames()).not.toContain(body.configName);
  });

  it('answers 502 when Fetcher rejects our credentials', async () => {
    service.fetcher.inject('create', { status: 401, body: 'Missing Token', headers: { 'Content-Type': 'text/plain' } });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(502);
    expect(answer.headers).not.toHaveProperty('www-authenticate');
  });

  it('answers 503 MTCH-0203 carrying Retry-After when Fetcher is busy', async () => {
    service.fetcher.inject('create', { status: 503, body: { status: 'unhealthy' }, headers: { 'Retry-After': '17' } });
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('MTCH-0203');
    expect(answer.headers['retry-after']).toBe('17');
  });

  it('answers 504 MTCH-0208 within the timeout when Fetcher is slower than FETCHER_TIMEOUT_MS', async () => {
    service.fetcher.inject('create', { delayMs: 3_000, times: 1 });
    const started = Date.now();
    const answer = await service.invoke({ body: validBody() });
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(504);
    expect(answer.body).toMatchObject({ status: 504, code: 'MTCH-0208', title: 'Gateway Timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2_500); // 400 ms, a quick lookup, and room for a loaded machine
  });

  it('caps the Fetcher call by the Lambda remaining time', async () => {
    const patient = await startService({ FETCHER_TIMEOUT_MS: '8000' });
    try {
      patient.fetcher.inject('create', { delayMs: 10_000, times: 1 });
      const started = Date.now();
      const answer = await patient.invoke({ body: validBody(), timeoutMs: 1_300 }); // 300 ms left once the 1 s margin is kept
      expect(answer.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(3_000); // FETCHER_TIMEOUT_MS alone would have waited 8 s
    } finally {
      await patient.stop();
    }
  });

  it('answers 502 when Fetcher answers 201 with a body that is not a connection', async () => {
    service.fetcher.inject('create', { status: 201, body: { id: 'not-a-uuid', configName: 'x' } });
    expect((await service.invoke({ body: validBody() })).body.code).toBe('MTCH-0207');
  });
});

describe('POST /v1/discovery/connections: schema discovery', () => {
  it('is true when the schema answers within the budget, with the tables cached', async () => {
    const body = validBody();
    service.fetcher.setSchema(body.configName, [{ name: 'ledger_entries', fields: ['id', 'amount'] }]);
    const answer = await service.invoke({ body });
    expect(answer.body.schemaDiscovered).toBe(true);
    const schema = await service.call('get-connection-schema', { pathParameters: { connectionId: answer.body.id } });
    expect(schema.body.tables).toEqual([{ tableName: 'ledger_entries', columns: [{ name: 'amount' }, { name: 'id' }] }]);
    const item = (await service.cacheItems()).find((i) => i.sk === `CONN#${answer.body.id}`);
    expect(item?.schemaDiscovered).toBe(true);
  });

  it.each(['connect-error', 'retrieval-error'] as const)(
    'is false when the schema fails (%s), and the create still succeeds',
    async (failure) => {
      const body = validBody();
      service.fetcher.setSchema(body.configName, failure);
      const answer = await service.invoke({ body });
      expect(answer.status).toBe(201);
      expect(answer.body.schemaDiscovered).toBe(false);
      const item = (await service.cacheItems()).find((i) => i.sk === `CONN#${answer.body.id}`);
      expect(item).toMatchObject({ schemaDiscovered: false, configName: body.configName });
    },
  );

  it('is false when the schema is slower than SCHEMA_DISCOVERY_BUDGET_MS, and the answer does not wait for it', async () => {
    service.fetcher.inject('schema', { delayMs: 2_000, times: 1 });
    const started = Date.now();
    const answer = await service.invoke({ body: validBody() });
    expect(answer.status).toBe(201);
    expect(answer.body.schemaDiscovered).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500); // the 300 ms budget, not the 2 s the schema takes
  });
});
