import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput } from '../../support/capture-output.ts';
import { createConnection, deleteConnection, patchConnection } from '../../support/connection-changes.ts';
import { partialFetcher } from '../../support/partial-ports.ts';
import { startService, type Answer, type TestService } from '../../support/service.ts';

// Unique per run: a hit can only come from this run's requests.
const PASSWORD = `CANARY-pw-${randomUUID()}`;

let service: TestService;
beforeAll(async () => {
  service = await startService({ FETCHER_TIMEOUT_MS: '500', SCHEMA_DISCOVERY_BUDGET_MS: '300' });
});
afterAll(() => service?.stop());

describe('a new password sent to PATCH (and DELETE) never leaks', () => {
  it('appears in no answer, header, log line or DynamoDB item, on success and on every error path of both routes', async () => {
    const output = captureOutput();
    const answers: Answer[] = [];
    const send = async (answer: Promise<Answer>) => void answers.push(await answer);
    const patch = (id: string, body: object, options = {}) => send(patchConnection(service, id, body, options));
    const connection = await createConnection(service);
    const other = await createConnection(service);
    const { id } = connection;

    await patch(id, { password: PASSWORD }); // 200, schema rediscovered
    await patch(id, { password: PASSWORD, host: 'db2.example.com', port: 6543 }); // 200
    const key = randomUUID();
    await patch(id, { password: PASSWORD, port: 6544 }, { headers: { 'idempotency-key': key } }); // 200
    await patch(id, { password: PASSWORD, port: 6544 }, { headers: { 'idempotency-key': key } }); // 200 replay
    await patch(id, { password: `${PASSWORD}-2`, port: 6544 }, { headers: { 'idempotency-key': key } }); // 422 MTCH-0019
    await patch(id, { password: PASSWORD, port: 'x', Password: PASSWORD, extra: PASSWORD }); // 422, echo-prone body
    await patch(id, { password: PASSWORD.repeat(120) }); // 422, too long
    await patch(id, { password: PASSWORD, host: '169.254.169.254' }); // 422 MTCH-0209
    await send(service.call('update-connection', { pathParameters: { connectionId: id }, body: `{"password": "${PASSWORD}", ` })); // 400
    await patch('not-a-uuid', { password: PASSWORD }); // 422 path
    await patch(randomUUID(), { password: PASSWORD }); // 404
    await patch(id, { password: PASSWORD }, { token: await service.token({ scope: 'discovery:read' }) }); // 403
    await patch(id, { password: PASSWORD, configName: other.configName }); // 409 MTCH-0206
    service.fetcher.setJobs(connection.fetcherId, 'running');
    await patch(id, { password: PASSWORD }); // 409 MTCH-0211
    service.fetcher.setJobs(connection.fetcherId, 'idle');
    service.fetcher.inject('update', {
      status: 400,
      body: { code: 'FET-0001', title: 'Bad Request', message: `bad ${PASSWORD}`, fields: { password: `${PASSWORD} is weak` } },
      times: 1,
    });
    await patch(id, { password: PASSWORD }); // 422 MTCH-0005 from Fetcher
    service.fetcher.inject('update', { status: 500, body: { message: `boom ${PASSWORD}` }, times: 1 });
    await patch(id, { password: PASSWORD }); // 502
    service.fetcher.inject('update', { phase: 'after', delayMs: 1_000, times: 1 });
    await patch(id, { password: PASSWORD, port: 6545 }); // 200 after the read-back
    service.fetcher.inject('update', { delayMs: 1_000, times: 1 });
    service.fetcher.inject('get', { status: 503, body: {}, times: 5 });
    await patch(id, { password: PASSWORD, port: 6546 }); // 504, the read-back failed too
    service.fetcher.clearFaults();
    // A careless client sends a body with its DELETE.
    await send(service.call('delete-connection', { pathParameters: { connectionId: other.id }, body: { password: PASSWORD } }));
    await send(deleteConnection(service, id));
    await patch(id, { password: PASSWORD }); // 404 after the delete
    const doomed = await createConnection(service);
    service.fetcher.alter(doomed.fetcherId, { deletedAt: new Date().toISOString() });
    await patch(doomed.id, { password: PASSWORD }); // 404 from Fetcher: marked UNREACHABLE

    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 200, 200, 422, 422, 422, 422, 400, 422, 404, 403, 409, 409, 422, 502, 200, 504, 204, 204, 404, 404,
    ]);
    for (const answer of answers) expect(answer.raw + JSON.stringify(answer.headers)).not.toContain(PASSWORD);

    const logs = output.text();
    expect(output.records().filter((r) => r.message === 'request completed').length).toBeGreaterThanOrEqual(answers.length);
    expect(logs).not.toContain(PASSWORD);

    const items = JSON.stringify(await service.scanAll());
    expect(items).toContain(connection.configName); // the scan really read this test's items
    expect(items).not.toContain(PASSWORD);

    // The password did reach Fetcher, the only place it belongs.
    expect(
      service.fetcher.requests.filter((r) => r.route === 'update' && JSON.stringify(r.body).includes(PASSWORD)).length,
    ).toBeGreaterThan(5);
  });

  it('is scrubbed from an adapter error that repeats it', async () => {
    const leakyFetcher = partialFetcher({
      updateConnection: async (_id, changes) => {
        throw new Error(`driver refused password ${changes.password}`);
      },
    });
    const leaky = await startService({}, { adapters: { fetcher: leakyFetcher } });
    try {
      // Created by the other service on the same table, since this Fetcher cannot create.
      const connection = await createConnection(service);
      const output = captureOutput();
      const answer = await patchConnection(leaky, connection.id, { password: PASSWORD });
      expect(answer.status).toBe(500);
      expect(answer.raw).not.toContain(PASSWORD);
      expect(output.text()).toContain('driver refused password [REDACTED]');
      expect(output.text()).not.toContain(PASSWORD);
    } finally {
      await leaky.stop();
    }
  });
});
