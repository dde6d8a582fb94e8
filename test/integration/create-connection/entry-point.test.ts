import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConnectionEvent } from '../../support/route-event.ts';
import { lambdaContext } from '../../tools/lambda-context.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

let service: TestService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('functions/create-connection/handler.ts', () => {
  it('reads its configuration from the environment once and serves the route', async () => {
    for (const [name, value] of Object.entries(service.env)) vi.stubEnv(name, value);
    const { handler } = await import('../../../functions/create-connection/handler.ts');
    const result = await handler(createConnectionEvent({ body: validBody(), token: await service.token() }), lambdaContext());
    expect(result.statusCode).toBe(201);
  });

  it('fails at cold start with a message naming the bad variable', async () => {
    for (const [name, value] of Object.entries(service.env)) vi.stubEnv(name, value);
    vi.stubEnv('FETCHER_TIMEOUT_MS', 'soon');
    await expect(import('../../../functions/create-connection/handler.ts')).rejects.toThrow(/Invalid configuration: FETCHER_TIMEOUT_MS/);
  });
});
