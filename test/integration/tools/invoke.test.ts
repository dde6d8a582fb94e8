import { readdir } from 'node:fs/promises';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { harnessEnv, isPortFree, removeStateDir, run, tempStateDir } from '../../support/harness-process.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer, type DevIssuer } from '../../doubles/dev-issuer.ts';
import { localClient } from '../../doubles/dynamodb-local.ts';
import { startFakeFetcher, type FakeFetcher } from '../../doubles/fake-fetcher.ts';

const FIXTURES = 'test/fixtures/events';
const EXPECTED: Record<string, number> = {
  'create-connection.json': 201,
  'create-connection-invalid-body.json': 422,
  'create-connection-no-token.json': 401,
  'create-connection-malformed-json.json': 400,
  'create-connection-unsupported-media-type.json': 415,
  // No cache holds the fixtures' connection id: both answer 404 MTCH-0201 after the token and the body passed.
  'update-connection.json': 404,
  'delete-connection.json': 404,
};
// The events of the background functions, and what each prints.
const BACKGROUND: Record<string, unknown> = {
  'sync-schedule.json': { tenants: 0 },
  'sync-queue-message.json': { batchItemFailures: [] },
};

let stateDir: string;
beforeAll(async () => {
  stateDir = await tempStateDir();
});
afterAll(() => removeStateDir(stateDir));

/** `npm run -s invoke -- <fixture>`; the result is the last line of stdout. */
const invoke = async (fixture: string, env: Record<string, string> = {}) => {
  const result = await run(
    'npm',
    ['run', '-s', 'invoke', '--', `${FIXTURES}/${fixture}`],
    harnessEnv({ LOCAL_STATE_DIR: stateDir, ...env }),
  );
  const last = result.stdout.trimEnd().split('\n').at(-1) ?? '';
  return {
    ...result,
    result: (last.startsWith('{') ? JSON.parse(last) : undefined) as
      { statusCode?: number; headers?: Record<string, string>; body?: string } | undefined,
  };
};

describe('npm run invoke (test/tools/invoke.ts)', () => {
  it('has an expected status for every fixture, and a fixture for each expectation', async () => {
    expect((await readdir(FIXTURES)).sort()).toEqual([...Object.keys(EXPECTED), ...Object.keys(BACKGROUND)].sort());
  });

  it('runs the success fixture with every part embedded, prints 201, and stops DynamoDB Local before exiting', async () => {
    const { code, result, stderr } = await invoke('create-connection.json');
    expect(result?.statusCode, stderr).toBe(201);
    expect(code).toBe(0);
    expect(JSON.parse(result!.body!)).toMatchObject({ configName: 'ledger-fixture', databaseType: 'POSTGRESQL' });
    const dynamoDbPort = Number(/DynamoDB: embedded, DynamoDB Local at http:\/\/127\.0\.0\.1:(\d+), in memory/.exec(stderr)?.[1]);
    expect(await isPortFree(dynamoDbPort)).toBe(true);
    expect(stderr).toMatch(/Fetcher: embedded, fake Fetcher/);
    expect(stderr).toMatch(/JWT issuer: embedded, dev issuer/);
  }, 90_000);

  it("logs its invocation as Lambda's cold start, and meters in the stack's namespace without Powertools' warning", async () => {
    // Unset, as on a laptop: the harness gives what the stack would.
    const { code, stdout, stderr } = await invoke('create-connection.json', { POWERTOOLS_METRICS_NAMESPACE: '' });
    expect(code, stderr).toBe(0);
    const records = stdout
      .split('\n')
      .filter((line) => line.startsWith('{"'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    const logs = records.filter((record) => 'level' in record && 'function_request_id' in record);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.map((log) => log.cold_start)).toEqual(logs.map(() => true));
    const namespaces = records.filter((record) => '_aws' in record).map((record) => record._aws.CloudWatchMetrics[0].Namespace);
    expect(namespaces).toContain('MatcherDiscovery');
    expect(new Set(namespaces).size).toBe(1);
    expect(stdout + stderr).not.toMatch(/Namespace should be defined/i);
  }, 90_000);

  describe('with a real Fetcher, issuer and table named by their variables', () => {
    let fetcher: FakeFetcher;
    let issuer: DevIssuer;
    let real: Record<string, string>;
    beforeAll(async () => {
      fetcher = await startFakeFetcher();
      issuer = await startDevIssuer();
      real = {
        FETCHER_URL: fetcher.url,
        FETCHER_ALLOW_INSECURE_HTTP: 'true',
        JWT_JWKS_URL: issuer.jwksUrl,
        JWT_ISSUER: DEV_ISSUER,
        JWT_AUDIENCE: DEV_AUDIENCE,
        DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
        TABLE_NAME: TEST_TABLES.cache,
        IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency,
        INVOKE_TOKEN: await issuer.sign(),
      };
    });
    afterAll(() => Promise.all([fetcher.stop(), issuer.stop()]));

    it.each(Object.entries(EXPECTED))(
      '%s prints %i',
      async (fixture, status) => {
        const { code, result, stderr } = await invoke(fixture, real);
        expect(result?.statusCode, stderr).toBe(status);
        expect(code).toBe(0);
        expect(stderr).toContain(`DynamoDB: real, ${real.DYNAMODB_ENDPOINT}`);
        expect(stderr).toContain(`Fetcher: real, ${fetcher.url}`);
        expect(stderr).toContain(`JWT issuer: real, JWKS at ${issuer.jwksUrl}`);
        if (status !== 201) {
          expect(result!.headers!['Content-Type']).toBe('application/problem+json');
          // The PATCH and the DELETE got past the token and the body to the cache lookup.
          if (status === 404) expect(JSON.parse(result!.body!)).toMatchObject({ code: 'MTCH-0201' });
          return;
        }
        // The connection went to the Fetcher and the table named by the variables.
        const { id } = JSON.parse(result!.body!) as { id: string };
        expect(fetcher.connections().map((connection) => connection.configName)).toEqual(['ledger-fixture']);
        const documents = DynamoDBDocumentClient.from(localClient(real.DYNAMODB_ENDPOINT!));
        try {
          const { Item } = await documents.send(
            new GetCommand({ TableName: TEST_TABLES.cache, Key: { pk: 'TENANT#default', sk: `CONN#${id}` } }),
          );
          expect(Item).toMatchObject({ id, configName: 'ledger-fixture' });
        } finally {
          documents.destroy();
        }
      },
      60_000,
    );
  });

  it('refuses a file that is no event it knows, starting nothing', async () => {
    const { code, stderr } = await invoke('../../../package.json');
    expect(code).toBe(1);
    expect(stderr).toContain('is neither an API Gateway payload 2.0 event, a scheduled event nor an SQS event');
    expect(stderr).not.toContain('embedded');
  });

  it.each(Object.entries(BACKGROUND))(
    'runs %s through the function its shape names, and prints its result',
    async (fixture, expected) => {
      const { code, result, stderr } = await invoke(fixture);
      expect(result, stderr).toEqual(expected);
      expect(code).toBe(0);
      expect(stderr).toMatch(/Sync queue: embedded, local queue/);
    },
    90_000,
  );

  it('runs the function --function names, whatever the event', async () => {
    const result = await run(
      'npm',
      ['run', '-s', 'invoke', '--', `${FIXTURES}/sync-queue-message.json`, '--function', 'sync-dispatcher'],
      harnessEnv({ LOCAL_STATE_DIR: stateDir }),
    );
    // The dispatcher reads the registry, whatever invoked it: an empty one here.
    expect(JSON.parse(result.stdout.trimEnd().split('\n').at(-1)!), result.stderr).toEqual({ tenants: 0 });
  }, 90_000);
});
