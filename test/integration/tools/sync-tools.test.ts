import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDevSigner } from '../../doubles/dev-issuer.ts';
import { startFakeFetcher, type FakeFetcher } from '../../doubles/fake-fetcher.ts';
import {
  harnessEnv,
  removeStateDir,
  run,
  startHarness,
  tempStateDir,
  waitFor,
  type HarnessProcess,
} from '../../support/harness-process.ts';
import { ownCacheTable, type OwnTable } from '../../support/own-table.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { devIssuerKeysDir } from '../../tools/local-paths.ts';
import { DEMO_CONNECTION } from '../../tools/start-banner.ts';

/** Creates the demo connection through the harness, then reads the status, both with a dev token. */
const asDevUser = async (harness: HarnessProcess) => {
  const signer = await loadDevSigner(devIssuerKeysDir({ LOCAL_STATE_DIR: harness.stateDir }));
  const headers = { Authorization: `Bearer ${await signer.sign()}`, 'Content-Type': 'application/json' };
  return {
    create: () => fetch(`${harness.url}/v1/discovery/connections`, { method: 'POST', headers, body: JSON.stringify(DEMO_CONNECTION) }),
    status: async () =>
      (await (await fetch(`${harness.url}/v1/discovery/status`, { headers })).json()) as {
        sync: { state: string; connectionsSynced?: number };
      },
  };
};

describe('npm start runs the scheduled sync on a timer', () => {
  let harness: HarnessProcess;
  beforeAll(async () => {
    harness = await startHarness({ env: { LOCAL_SYNC_INTERVAL_S: '1' } });
  }, 90_000);
  afterAll(() => harness?.stop(), 30_000);

  it('says so, and the dispatcher’s message reaches the sync worker through the local queue', async () => {
    expect(harness.output()).toMatch(
      /Scheduled sync: every 1 s the sync dispatcher sends one message per registered tenant; the sync worker takes each message from the local queue\./,
    );
    const user = await asDevUser(harness);
    // The create registers the tenant; the next tick syncs it.
    expect((await user.create()).status).toBe(201);
    expect(await waitFor(async () => (await user.status()).sync.state === 'completed', 30_000, 250)).toBe(true);
    expect((await user.status()).sync).toMatchObject({ state: 'completed', connectionsSynced: 1 });
  }, 60_000);
});

describe('npm start -- --no-sync', () => {
  let harness: HarnessProcess;
  beforeAll(async () => {
    harness = await startHarness({
      env: { LOCAL_SYNC_INTERVAL_S: '1' },
      command: [process.execPath, 'test/tools/start-api.ts', '--no-sync'],
    });
  }, 90_000);
  afterAll(() => harness?.stop(), 30_000);

  it('says the sync is off, and no sync runs', async () => {
    expect(harness.output()).toContain('Scheduled sync: off (--no-sync).');
    const user = await asDevUser(harness);
    expect((await user.create()).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await user.status()).sync).toEqual({ state: 'idle' });
  }, 60_000);
});

describe('npm run sync -- --tenant <id>', () => {
  let fetcher: FakeFetcher;
  let table: OwnTable;
  let stateDir: string;
  beforeAll(async () => {
    [fetcher, table, stateDir] = await Promise.all([startFakeFetcher(), ownCacheTable('sync-tool'), tempStateDir()]);
  });
  afterAll(() => Promise.all([fetcher.stop(), table.drop(), removeStateDir(stateDir)]));

  const sync = (args: string[]) =>
    run(
      'npm',
      ['run', '-s', 'sync', '--', ...args],
      harnessEnv({
        LOCAL_STATE_DIR: stateDir,
        MULTI_TENANT: 'true',
        FETCHER_SHARED_IDENTITY: 'true',
        FETCHER_URL: fetcher.url,
        FETCHER_ALLOW_INSECURE_HTTP: 'true',
        DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
        TABLE_NAME: table.name,
        IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency,
      }),
      90_000,
    );

  it('syncs the tenant with the parts the environment names, and prints the result as JSON', async () => {
    const day = 86_400_000;
    fetcher.seed([
      { configName: 'recent-db', createdAt: new Date(Date.now() - day).toISOString() },
      { configName: 'old-db', createdAt: new Date(Date.now() - 400 * day).toISOString() },
    ]);
    const tenantId = randomUUID();
    const { code, stdout, stderr } = await sync(['--tenant', tenantId]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`Fetcher: real, ${fetcher.url}`);
    expect(stderr).toMatch(/Sync queue: embedded/);
    expect(JSON.parse(stdout.trimEnd().split('\n').at(-1)!)).toEqual({
      tenantId,
      listed: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      unreachable: 0,
      revived: 0,
      schemasRefreshed: 2,
      schemasFailed: 0,
      connectionsSynced: 2,
      listingComplete: true,
      complete: true,
    });
    const again = await sync(['--tenant', tenantId]);
    expect(JSON.parse(again.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ listed: 2, unchanged: 2, created: 0 });
  }, 120_000);

  it('refuses to run without --tenant, starting nothing', async () => {
    const { code, stderr } = await sync([]);
    expect(code).toBe(1);
    expect(stderr).toContain('--tenant is required');
    expect(stderr).not.toMatch(/: (embedded|real), /);
  });
});
