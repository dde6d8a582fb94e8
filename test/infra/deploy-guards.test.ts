import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { resolveDiscoverySettings } from '../../infra/discovery-settings.ts';
import { placeholdersIn } from '../../infra/placeholders.ts';
import { PROJECT_CONTEXT, synthApp } from '../support/cdk-app.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';

const settings = {
  fetcherUrl: 'https://fetcher.internal.acme.io',
  jwt: { jwksUrl: 'https://auth.acme.io/.well-known/jwks.json', issuer: 'https://auth.acme.io', audience: 'matcher' },
};

const outdir = mkdtempSync(join(tmpdir(), 'matcher-discovery-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** `node infra/app.ts` as the CDK CLI runs it (the context in CDK_CONTEXT_JSON), with the project's Node. */
const runApp = (context: Record<string, unknown>) =>
  spawnSync(process.execPath, ['infra/app.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context }),
      CDK_OUTDIR: outdir,
    },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('settings a deployment refuses', () => {
  it('requires jwt.issuer and jwt.audience, which the functions then enforce', () => {
    expect(() => resolveDiscoverySettings({ ...settings, jwt: { jwksUrl: settings.jwt.jwksUrl } })).toThrow(
      'Invalid matcher-discovery settings: jwt.issuer: required: the iss every token must carry; jwt.audience: required: the aud every token must carry',
    );
    const functions = Object.values(synthApp().template.findResources('AWS::Lambda::Function'));
    const authenticating = functions.filter((fn) => 'JWT_JWKS_URL' in fn.Properties.Environment.Variables);
    expect(authenticating).toHaveLength(LAMBDA_FUNCTIONS.filter((fn) => fn.sections.includes('auth')).length);
    for (const fn of authenticating)
      expect(fn.Properties.Environment.Variables).toMatchObject({ JWT_ISSUER: 'https://issuer.example.com', JWT_AUDIENCE: 'matcher' });
  });

  it.each([
    [{ reservedConcurrency: 82 }, 'reserves 902, but an account quota of at most 1000 (the default quota) leaves 900'],
    [
      { reservedConcurrency: 10, accountConcurrencyLimit: 200 },
      'reserves 110, but an account quota of 200 (accountConcurrencyLimit) leaves 100',
    ],
    [{ reservedConcurrency: 1, accountConcurrencyLimit: 10 }, 'leaves 0 to reserve once Lambda keeps 100 unreserved; leave it unset'],
  ])('refuses a reserved concurrency the account cannot give: %o', (limits, message) => {
    expect(() => resolveDiscoverySettings({ ...settings, ...limits })).toThrow(`reservedConcurrency: `);
    expect(() => resolveDiscoverySettings({ ...settings, ...limits })).toThrow(message);
  });

  it('accepts a reservation that leaves 100 unreserved', () => {
    expect(LAMBDA_FUNCTIONS).toHaveLength(11);
    expect(resolveDiscoverySettings({ ...settings, reservedConcurrency: 81 }).reservedConcurrency).toBe(81);
    expect(resolveDiscoverySettings({ ...settings, reservedConcurrency: 9, accountConcurrencyLimit: 200 }).reservedConcurrency).toBe(9);
  });

  it("finds every example value of cdk.json, and none of a real deployment's", () => {
    expect(
      placeholdersIn(PROJECT_CONTEXT)
        .map((line) => line.split(':')[0])
        .sort(),
    ).toEqual(['fetcherUrl', 'jwt.issuer', 'jwt.jwksUrl']);
    expect(placeholdersIn({ ...settings, alarms: { email: 'oncall@acme.io' }, corsOrigins: ['https://app.acme.io'] })).toEqual([]);
    expect(
      placeholdersIn({
        alarms: { email: 'oncall@example.com' },
        idempotencySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf',
      }),
    ).toHaveLength(2);
  });
});

describe('node infra/app.ts (what cdk synth and cdk deploy run)', () => {
  it("refuses cdk.json's example values unless allowPlaceholders says they are on purpose", () => {
    const refused = runApp({});
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      'Invalid matcher-discovery settings (cdk.json "context", or -c key=value):',
      '  fetcherUrl: "https://fetcher.example.com" is an example value; set the real one (or -c allowPlaceholders=true on purpose)',
      '  jwt.jwksUrl: "https://issuer.example.com/.well-known/jwks.json" is an example value; set the real one (or -c allowPlaceholders=true on purpose)',
      '  jwt.issuer: "https://issuer.example.com" is an example value; set the real one (or -c allowPlaceholders=true on purpose)',
    ]);
    const allowed = runApp({ allowPlaceholders: 'true' });
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    expect(readdirSync(outdir)).toContain('MatcherDiscovery.template.json');
  }, 120_000);

  it('prints one line per bad setting, and no stack trace', () => {
    const result = runApp({ ...settings, memorySize: 64, logRetentionDays: 2, reservedConcurrency: 100, jwt: { jwksUrl: 'http://x' } });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('Invalid matcher-discovery settings (cdk.json "context", or -c key=value):');
    expect(lines.slice(1).map((line) => line.trim().split(':')[0])).toEqual([
      'jwt.jwksUrl',
      'jwt.issuer',
      'jwt.audience',
      'logRetentionDays',
      'memorySize',
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});

describe('what an operator finds in the stack', () => {
  const { template } = synthApp();
  it('names the HTTP API after the stack', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'MatcherDiscovery-api' });
  });

  it('outputs the name of every log group and everything else that outlives cdk destroy', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    const stems = LAMBDA_FUNCTIONS.map((fn) => fn.name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase()));
    for (const stem of stems) expect(outputs).toContain(`${stem}LogGroupName`);
    for (const output of ['AccessLogGroupName', 'CacheTableName', 'IdempotencyTableName', 'IdempotencySecretArn', 'CursorSecretArn']) {
      expect(outputs).toContain(output);
    }
    expect(outputs).toEqual(expect.arrayContaining(['SyncQueueUrl', 'SyncDeadLetterQueueUrl']));
    const logGroups = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const named = Object.entries(template.findOutputs('*'))
      .filter(([id]) => id.endsWith('LogGroupName'))
      .map(([, output]) => (output.Value as { Ref: string }).Ref);
    expect(named.sort()).toEqual(logGroups.sort());
  });
});
