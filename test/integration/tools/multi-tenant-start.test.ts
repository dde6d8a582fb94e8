import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessEnv, run, startHarness, type HarnessProcess } from '../../support/harness-process.ts';

/** `npm start` with MULTI_TENANT=true: each tenant a dev token names gets its own Fetcher identity, on demand. */
let harness: HarnessProcess;
beforeAll(async () => {
  harness = await startHarness({ env: { MULTI_TENANT: 'true' }, command: [process.execPath, 'test/tools/start-api.ts', '--no-sync'] });
}, 90_000);
afterAll(() => harness?.stop(), 30_000);

/** `npm run -s token -- --tenant <id>`, as the README shows it. */
const tokenFor = async (tenant: string) => {
  const result = await run(
    'npm',
    ['run', '-s', 'token', '--', '--tenant', tenant],
    harnessEnv({ LOCAL_STATE_DIR: harness.stateDir }),
    30_000,
  );
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
};

const send = async (token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

const payrollProd = {
  configName: 'payroll-prod',
  databaseType: 'POSTGRESQL',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'payroll',
  userName: 'matcher_ro',
  password: 'local-pass-1',
};

describe('npm start with MULTI_TENANT=true', () => {
  it('says the embedded Fetcher gives each tenant its own identity', () => {
    expect(harness.output()).toMatch(/Fetcher\s+embedded\s+fake Fetcher at http:\/\/127\.0\.0\.1:\d+.*a token per tenant/);
  });

  it('lets two tenants each create payroll-prod (two 201s) and lists each its own', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const [tokenA, tokenB] = await Promise.all([tokenFor(a), tokenFor(b)]);
    const createdA = await send(tokenA, 'POST', '/v1/discovery/connections', payrollProd);
    const createdB = await send(tokenB, 'POST', '/v1/discovery/connections', payrollProd);
    expect([createdA.status, createdB.status], JSON.stringify([createdA.body, createdB.body])).toEqual([201, 201]);
    expect(createdA.body.id).not.toBe(createdB.body.id);
    // The same name again in one tenant is that tenant's conflict.
    expect((await send(tokenA, 'POST', '/v1/discovery/connections', payrollProd)).body.code).toBe('MTCH-0206');
    const listA = await send(tokenA, 'GET', '/v1/discovery/connections');
    const listB = await send(tokenB, 'GET', '/v1/discovery/connections');
    expect([listA.status, listB.status]).toEqual([200, 200]);
    expect(listA.body.connections.map((c: { id: string; configName: string }) => [c.id, c.configName])).toEqual([
      [createdA.body.id, 'payroll-prod'],
    ]);
    expect(listB.body.connections.map((c: { id: string; configName: string }) => [c.id, c.configName])).toEqual([
      [createdB.body.id, 'payroll-prod'],
    ]);
    expect((await send(tokenA, 'GET', `/v1/discovery/connections/${createdB.body.id}`)).status).toBe(404);
  });
});
