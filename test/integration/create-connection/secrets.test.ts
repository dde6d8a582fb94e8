import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../../functions/observability/logger.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { startService, validBody, type Answer, type TestService } from '../../support/service.ts';

const PASSWORD = 'CANARY-pw-7f3a9c1e-never-log-me';

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '300', SCHEMA_DISCOVERY_BUDGET_MS: '200' });
});
afterAll(() => service.stop());

describe('the password and the token never leak', () => {
  it('appears in no response, no log line and no DynamoDB item, on success and on every error path', async () => {
    const token = await service.token();
    const output = captureOutput();
    const answers: Answer[] = [];
    const body = () => validBody({ password: PASSWORD });
    const send = async (options: Parameters<TestService['invoke']>[0]) => answers.push(await service.invoke({ token, ...options }));

    await send({ body: body() }); // 201
    const duplicate = body();
    await send({ body: duplicate });
    await send({ body: duplicate }); // 409
    await send({ body: { ...body(), port: 'x', Password: PASSWORD, extra: PASSWORD } }); // 422 with an echo-prone body
    await send({ body: { ...body(), password: PASSWORD.repeat(200) } }); // 422: password too long
    await send({ body: `{"password": "${PASSWORD}", ` }); // 400 malformed
    await send({ body: body(), headers: { 'content-type': 'text/plain' } }); // 415
    await send({ body: { ...body(), host: '10.0.0.1' } }); // 422 MTCH-0209
    await send({ body: body(), token: `${token}x` }); // 401, token tampered
    service.fetcher.inject('create', { status: 500, body: { message: 'boom' }, times: 1 });
    await send({ body: body() }); // 502
    service.fetcher.inject('create', { delayMs: 1_000, times: 1 });
    await send({ body: body() }); // 504
    service.fetcher.inject('schema', { status: 500, body: { code: 500 }, times: 1 });
    await send({ body: body() }); // 201, schema skipped (warn log)

    expect(answers.map((a) => a.status)).toEqual([201, 201, 409, 422, 422, 400, 415, 422, 401, 502, 504, 201]);
    for (const answer of answers) {
      expect(answer.raw).not.toContain(PASSWORD);
      expect(JSON.stringify(answer.headers)).not.toContain(PASSWORD);
      expect(answer.raw).not.toContain(token);
    }
    const logs = output.text();
    expect(output.records().length).toBeGreaterThan(12); // the logs were really captured
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.split('.')[2]!); // not even the signature

    const items = JSON.stringify(await service.scanAll());
    expect(items).toContain('matcher'); // the scan really read items
    expect(items).not.toContain(PASSWORD);
    expect(items).not.toContain(token);

    // The password did reach Fetcher, which is the only place it belongs.
    expect(service.fetcher.requests.some((r) => JSON.stringify(r.body).includes(PASSWORD))).toBe(true);
  });

  it('redacts credential-named keys at any depth and withheld values anywhere in a log line', async () => {
    const { withhold } = await import('../../../functions/observability/secret-values.ts');
    const output = captureOutput();
    const release = withhold(PASSWORD);
    try {
      logger.info('diagnostic', { outer: { password: 'plain-pw', clientSecret: 'cs', nested: [{ authorization: 'Bearer x' }] }, note: `user typed ${PASSWORD}` });
      logger.error('failure', new Error(`driver said ${PASSWORD}`));
    } finally {
      release();
    }
    const logs = output.text();
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('plain-pw');
    expect(logs).not.toContain('Bearer x');
    expect(logs).toContain('[REDACTED]');
    expect(logs).toContain('user typed [REDACTED]');
  });
});
