import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../functions/observability/logger.ts';
import { withhold } from '../../../functions/observability/secret-values.ts';
import { freePort } from '../../doubles/free-port.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { partialCache, partialFetcher } from '../../support/partial-ports.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

const PASSWORD = 'CANARY-pw-7f3a9c1e-never-log-me';

let service: TestService;
let leaky: TestService;
let keyless: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '300', SCHEMA_DISCOVERY_BUDGET_MS: '200', MAX_BODY_BYTES: '8192' });
  // Adapters that misbehave the worst way: errors whose messages repeat the password they were given.
  const leakyFetcher = partialFetcher({
    createConnection: async (input) => {
      throw new Error(`driver refused user ${input.userName} with password ${input.password}`);
    },
    getSchema: async () => [],
  });
  leaky = await startService({}, { adapters: { fetcher: leakyFetcher } });
  keyless = await startService({ JWT_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks.json` });
});
afterAll(async () => {
  await Promise.all([service.stop(), leaky.stop(), keyless.stop()]);
});

describe('the password and the token never leak', () => {
  it('appear in no response, header, log line or DynamoDB item, on success and on every error path', async () => {
    const token = await service.token();
    const output = captureOutput();
    const answers: Answer[] = [];
    const body = () => validBody({ password: PASSWORD });
    const send = async (target: TestService, options: Parameters<TestService['invoke']>[0]) =>
      answers.push(await target.invoke({ token: target === service ? token : await target.token(), ...options }));

    await send(service, { body: body() }); // 201
    const duplicate = body();
    await send(service, { body: duplicate });
    await send(service, { body: duplicate }); // 409
    await send(service, { body: { ...body(), port: 'x', Password: PASSWORD, extra: PASSWORD } }); // 422, echo-prone body
    await send(service, { body: { ...body(), password: PASSWORD.repeat(140) } }); // 422, password too long
    await send(service, { body: `{"password": "${PASSWORD}", ` }); // 400 malformed
    await send(service, { body: `{"password": "${PASSWORD}", "pad": "${'x'.repeat(9000)}"}` }); // 413
    await send(service, { body: body(), headers: { 'content-type': 'text/plain' } }); // 415
    await send(service, { body: { ...body(), host: '10.0.0.1' } }); // 422 MTCH-0209
    await send(service, { body: body(), token: `${token}x` }); // 401, tampered
    await send(service, { body: body(), token: await service.token({ scope: 'discovery:read' }) }); // 403
    service.fetcher.inject('create', { status: 400, body: { code: 'FET-0414', title: 'Forbidden Host' }, times: 1 });
    await send(service, { body: body() }); // 422 MTCH-0209 from Fetcher
    service.fetcher.inject('create', { status: 500, body: { message: `boom ${PASSWORD}` }, times: 1 });
    await send(service, { body: body() }); // 502
    service.fetcher.inject('create', { status: 503, headers: { 'Retry-After': '3' }, body: {}, times: 1 });
    await send(service, { body: body() }); // 503
    service.fetcher.inject('create', { action: 'malformed', times: 1 });
    await send(service, { body: body() }); // 502
    service.fetcher.inject('create', { delayMs: 1_000, times: 1 });
    await send(service, { body: body() }); // 504
    service.fetcher.inject('schema', { status: 500, body: { code: 500 }, times: 1 });
    await send(service, { body: body() }); // 201, schema skipped (warn log)
    await send(leaky, { body: body() }); // 500: an adapter error that repeats the password
    await send(keyless, { body: body() }); // 503: no signing keys

    expect(answers.map((a) => a.status)).toEqual([
      201, 201, 409, 422, 422, 400, 413, 415, 422, 401, 403, 422, 502, 503, 502, 504, 201, 500, 503,
    ]);
    for (const answer of answers) {
      const everything = answer.raw + JSON.stringify(answer.headers);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(token);
    }

    const logs = output.text();
    expect(output.records().filter((r) => r.message === 'request completed')).toHaveLength(answers.length); // logs really captured
    expect(logs).toContain('driver refused user matcher_ro with password [REDACTED]'); // the scrubber did the work
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[2]!); // not even the signature

    const items = JSON.stringify([...(await service.scanAll())]);
    expect(items).toContain('matcher_ro'); // the scan really read items
    expect(items).not.toContain(PASSWORD);
    expect(items).not.toContain(token);

    // The password did reach Fetcher, which is the only place it belongs.
    expect(service.fetcher.requests.some((r) => JSON.stringify(r.body).includes(PASSWORD))).toBe(true);
  });

  it('survives a cache that cannot be written: 201, a log line, and still no secret', async () => {
    const brokenCache = partialCache({
      saveConnection: async () => Promise.reject(new Error(`ValidationException near ${PASSWORD}`)),
      findConnection: async () => undefined,
    });
    const cacheless = await startService({}, { adapters: { cache: brokenCache } });
    try {
      const output = captureOutput();
      const answer = await cacheless.invoke({ body: validBody({ password: PASSWORD }) });
      expect(answer.status).toBe(201);
      expect(answer.body.schemaDiscovered).toBe(false);
      const failure = output.records().find((r) => r.message === 'cache write failed');
      expect(failure).toMatchObject({ level: 'ERROR', step: 'connection' });
      expect(output.text()).not.toContain(PASSWORD);
    } finally {
      await cacheless.stop();
    }
  });

  it('redacts credential-named keys at any depth and withheld values in the errors a log line carries', () => {
    const output = captureOutput();
    const release = withhold(PASSWORD);
    try {
      logger.info('diagnostic', {
        outer: { password: 'plain-pw', clientSecret: 'cs', nested: [{ authorization: 'Bearer x' }] },
        error: { name: 'DriverError', message: `user typed ${PASSWORD}` },
      });
      logger.error('failure', new Error(`driver said ${PASSWORD}`));
    } finally {
      release();
    }
    const logs = output.text();
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('plain-pw');
    expect(logs).not.toContain('Bearer x');
    expect(logs).toContain('user typed [REDACTED]');
    expect(logs).toContain('driver said [REDACTED]');
  });

  it('never rewrites a line’s own fields: a password chosen to equal a tenant id or a message erases neither', () => {
    const tenantId = '8a0c4c0e-1b7e-4c47-9d55-0c4a8f3a6e11';
    const output = captureOutput();
    const release = withhold(tenantId, 'request completed');
    try {
      logger.info('request completed', { tenantId, requestId: 'req-1', code: 'MTCH-0005' });
    } finally {
      release();
    }
    expect(output.records().at(-1)).toMatchObject({ message: 'request completed', tenantId, requestId: 'req-1', code: 'MTCH-0005' });
  });
});

describe('with POWERTOOLS_LOGGER_LOG_EVENT=true in the environment', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('still never logs the event, which carries the password and the token', async () => {
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.resetModules();
    // A fresh module graph, so the logger is built with the variable set, as at a cold start.
    const { startService: startFresh } = await import('../../support/service.ts');
    const fresh = await startFresh();
    try {
      const token = await fresh.token();
      const output = captureOutput();
      expect((await fresh.invoke({ body: validBody({ password: PASSWORD }), token })).status).toBe(201);
      expect(output.records().length).toBeGreaterThan(0);
      expect(output.text()).not.toContain(PASSWORD);
      expect(output.text()).not.toContain(token);
    } finally {
      await fresh.stop();
    }
  });
});
