import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessEnv, run, startHarness, type HarnessProcess } from '../../support/harness-process.ts';
import { loadDevSigner, type DevSigner } from '../../doubles/dev-issuer.ts';
import { localClient } from '../../doubles/dynamodb-local.ts';
import { devIssuerKeysDir, REPO_ROOT } from '../../tools/local-paths.ts';
import { DEMO_CONNECTION } from '../../tools/start-banner.ts';

let harness: HarnessProcess;
let signer: DevSigner;
beforeAll(async () => {
  harness = await startHarness();
  signer = await loadDevSigner(devIssuerKeysDir({ LOCAL_STATE_DIR: harness.stateDir }));
}, 90_000);
afterAll(() => harness?.stop(), 30_000);

/** Runs a curl command line with bash, from the project folder, against the harness; returns status and body. */
const curl = async (commandLine: string) => {
  const result = await run(
    'bash',
    ['-c', `${commandLine.replaceAll('http://127.0.0.1:3000', harness.url)} -w '\\n%{http_code}'`],
    harnessEnv({ LOCAL_STATE_DIR: harness.stateDir }),
    30_000,
  );
  const lines = result.stdout.trimEnd().split('\n');
  return { status: Number(lines.at(-1)), body: lines.slice(0, -1).join('\n'), stderr: result.stderr };
};

/** The one curl in the README's Quick start. */
const readmeCurl = async () => {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
  const blocks = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
  return { blocks, curl: blocks.find((block) => block.startsWith('curl '))! };
};

const post = (body: unknown, headers: Record<string, string>) =>
  fetch(`${harness.url}/v1/discovery/connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const problem = async (response: Response) => ({
  status: response.status,
  type: response.headers.get('content-type'),
  body: (await response.json()) as Record<string, unknown>,
});

describe('npm start (test/tools/start-api.ts)', () => {
  it('prints the URL, that every part is embedded, and a curl', () => {
    const banner = harness.output();
    expect(banner).toMatch(new RegExp(`local API: ${harness.url} \\(ready in \\d+\\.\\d s\\)`));
    expect(banner).toMatch(/POST \/v1\/discovery\/connections\s+functions\/create-connection\/handler\.ts/);
    expect(banner).toMatch(/DynamoDB\s+embedded\s+DynamoDB Local at http:\/\/127\.0\.0\.1:\d+, in memory/);
    expect(banner).toMatch(/Fetcher\s+embedded\s+fake Fetcher at http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toMatch(/JWT issuer\s+embedded\s+dev issuer, JWKS at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json/);
    expect(banner).toContain(`curl -sS -X POST ${harness.url}/v1/discovery/connections`);
  });

  it("shows exactly the two commands and the curl in the README's Quick start", async () => {
    const { blocks, curl: command } = await readmeCurl();
    expect(blocks).toEqual(['npm ci && npm start', command, 'npm ci && npm test']);
    expect(command).toContain(`-d '${JSON.stringify(DEMO_CONNECTION)}'`);
  });

  it("answers the README's curl with 201, stores the connection in the cache, and 409 when it is sent again", async () => {
    const { curl: command } = await readmeCurl();
    const created = await curl(command);
    expect(created.status, created.stderr).toBe(201);
    const connection = JSON.parse(created.body) as Record<string, unknown>;
    expect(connection).toMatchObject({ configName: DEMO_CONNECTION.configName, databaseType: 'POSTGRESQL', status: 'AVAILABLE' });

    const endpoint = /DynamoDB Local at (http:\/\/127\.0\.0\.1:\d+)/.exec(harness.output())![1]!;
    const documents = DynamoDBDocumentClient.from(localClient(endpoint));
    try {
      const { Item } = await documents.send(
        new GetCommand({ TableName: 'discovery-cache-local', Key: { pk: 'TENANT#default', sk: `CONN#${String(connection.id)}` } }),
      );
      expect(Item).toMatchObject({
        id: connection.id,
        configName: DEMO_CONNECTION.configName,
        host: DEMO_CONNECTION.host,
        port: DEMO_CONNECTION.port,
      });
      expect(JSON.stringify(Item)).not.toContain(DEMO_CONNECTION.password);
    } finally {
      documents.destroy();
    }

    expect((await curl(command)).status).toBe(409);
  });

  it('answers the printed curl with 201', async () => {
    const printed = /^curl [\s\S]*?^ {2}-d '.*'$/m.exec(harness.output())![0];
    // Another name: the README's curl already created the demo connection.
    const created = await curl(printed.replace(DEMO_CONNECTION.configName, 'ledger-banner'));
    expect(created.status, created.stderr).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ configName: 'ledger-banner' });
  });

  it('answers a body that fails validation with a 422 problem', async () => {
    const answer = await problem(await post({ ...DEMO_CONNECTION, port: '5432' }, { Authorization: `Bearer ${await signer.sign()}` }));
    expect(answer).toMatchObject({
      status: 422,
      type: 'application/problem+json',
      body: { status: 422, code: 'MTCH-0005', errors: [{ location: 'body.port', message: 'expected integer' }] },
    });
  });

  it('answers a request without a token with a 401 problem', async () => {
    const response = await post(DEMO_CONNECTION, {});
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="matcher"');
    expect(await problem(response)).toMatchObject({
      status: 401,
      type: 'application/problem+json',
      body: { status: 401, code: 'MTCH-0003' },
    });
  });

  it('answers a token without discovery:write with a 403 problem', async () => {
    const answer = await problem(
      await post(DEMO_CONNECTION, { Authorization: `Bearer ${await signer.sign({ scope: 'discovery:read' })}` }),
    );
    expect(answer).toMatchObject({ status: 403, type: 'application/problem+json', body: { code: 'MTCH-0004' } });
  });

  it("answers an unknown route with API Gateway's 404", async () => {
    for (const [method, path] of [
      ['PUT', '/v1/discovery/connections'],
      ['POST', '/v1/discovery/connection'],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${harness.url}${path}`, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe('{"message":"Not Found"}');
    }
  });
});
