import { describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import type { AwsCall } from '../support/aws-call-log.ts';
import { PROJECT_CONTEXT, synthApp } from '../support/cdk-app.ts';
import { functionRoles } from './function-roles.ts';
import { evaluate, judgeCalls, unusedGrants } from './judge-calls.ts';
import { readsTenantSecret, TENANT_CREDENTIALS, TENANT_SECRET_PREFIX } from './tenant-secrets.ts';

/**
 * The per-tenant Fetcher credentials grant, judged by the offline IAM evaluator: a read of tenant
 * T's secret (the prefix and T) is allowed to the functions that call Fetcher, and nothing beside
 * it is. Runs without the suite's recorded calls; the recorded ones are judged the same way in
 * roles-allow-recorded-calls.test.ts.
 */

const TENANT = '3f2b6c1e-8d4a-4e7b-9c2d-1a5e7f9b0c3d';
const secret = (name: string, account = '123456789012', region = 'eu-west-1') =>
  `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;
const CALLS_FETCHER = LAMBDA_FUNCTIONS.filter((fn) => fn.sections.includes('fetcher')).map((fn) => fn.name);
const NO_FETCHER = LAMBDA_FUNCTIONS.filter((fn) => !fn.sections.includes('fetcher')).map((fn) => fn.name);

const { roles, values, resources } = functionRoles(synthApp({ ...PROJECT_CONTEXT, ...TENANT_CREDENTIALS }).stack);
const roleOf = (name: string) => roles.find((role) => role.fn.name === name)!;
/** A GetSecretValue call as test/support/record-aws-calls.ts records it: the SecretId as sent, no variable. */
const secretRead = (fn: string, secretId: string): AwsCall => ({
  fn,
  attributedBy: 'invocation',
  target: 'secretsmanager.GetSecretValue',
  host: '127.0.0.1',
  resources: [{ name: secretId }],
  site: ['functions/adapters/fetcher/tenant-credentials.ts:32:19'],
  testFile: 'test/iam/tenant-secret-grant.test.ts',
  testName: 'a tenant secret read',
});

describe("a tenant's own Fetcher credentials, against the synthesized roles", () => {
  it.each(CALLS_FETCHER)('%s may read the secret of any tenant under the prefix', async (name) => {
    for (const arn of [secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`), secret(`${TENANT_SECRET_PREFIX}tenant-a-uuid-XyZ123`)]) {
      const result = await evaluate(roleOf(name), 'secretsmanager:GetSecretValue', arn);
      expect(result.resultType === 'error' ? result.errors : result.overallResult, arn).toBe('Allowed');
    }
  });

  it.each(LAMBDA_FUNCTIONS.map((fn) => fn.name))(
    '%s may read no secret outside the prefix, nor do anything else with one',
    async (name) => {
      const denied = [
        ['secretsmanager:GetSecretValue', secret('other-prefix/x-AbCdEf')],
        // The prefix ends in its separator: a sibling path is not covered.
        ['secretsmanager:GetSecretValue', secret('matcher-discovery/fetcher-admin-AbCdEf')],
        ['secretsmanager:GetSecretValue', secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`, '210987654321')],
        ['secretsmanager:GetSecretValue', secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`, '123456789012', 'us-east-1')],
        ['secretsmanager:PutSecretValue', secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`)],
        ['secretsmanager:DescribeSecret', secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`)],
        ['secretsmanager:ListSecrets', '*'],
        ...(NO_FETCHER.includes(name) ? [['secretsmanager:GetSecretValue', secret(`${TENANT_SECRET_PREFIX}${TENANT}-Ab12Cd`)]] : []),
      ] as const;
      for (const [action, arn] of denied) {
        const result = await evaluate(roleOf(name), action, arn);
        expect(result.resultType === 'error' ? result.errors : result.overallResult, `${action} ${arn}`).toBe('ImplicitlyDenied');
      }
    },
  );

  it("judges a recorded read of `<run's prefix><tenant id>` as the deployed prefix's secret of that tenant", async () => {
    const calls = CALLS_FETCHER.map((fn) => secretRead(fn, `run/fetcher-client/${TENANT}`));
    expect(calls.every(readsTenantSecret)).toBe(true);
    const { allowed, refused } = await judgeCalls(calls, roles, values, resources);
    expect(refused).toEqual([]);
    expect(allowed.map((use) => [use.fn, use.action, use.resource])).toEqual(
      CALLS_FETCHER.map((fn) => [fn, 'secretsmanager:GetSecretValue', secret(`${TENANT_SECRET_PREFIX}${TENANT}-AbCdEf`)]),
    );
    // Both ways: that read uses the prefix grant, so the reverse check does not report it unused.
    for (const name of CALLS_FETCHER) {
      const prefixGrant = { action: 'secretsmanager:GetSecretValue', resource: secret(`${TENANT_SECRET_PREFIX}*`) };
      const unused = unusedGrants(roleOf(name), allowed);
      expect(unused, name).not.toContainEqual(prefixGrant);
      // Without the read, it would be reported: the check sees the grant.
      expect(unusedGrants(roleOf(name), []), name).toContainEqual(prefixGrant);
    }
  });

  it('refuses a tenant secret read by a function that does not call Fetcher, and a read of a secret no variable names', async () => {
    const { refused } = await judgeCalls(
      [secretRead('get-connection', `run/fetcher-client/${TENANT}`), secretRead('sync-worker', 'other-prefix/x')],
      roles,
      values,
      resources,
    );
    expect(refused).toEqual([
      expect.stringMatching(
        /^get-connection: secretsmanager:GetSecretValue on run\/fetcher-client\/\S+ reaches a tenant's secret, but the stack sets no FETCHER_TENANT_SECRET_PREFIX for it, at /,
      ),
      expect.stringMatching(
        /^sync-worker: secretsmanager:GetSecretValue on other-prefix\/x reaches a resource none of its environment variables names, at /,
      ),
    ]);
    expect(readsTenantSecret(secretRead('sync-worker', 'other-prefix/x'))).toBe(false);
    expect(readsTenantSecret(secretRead('sync-worker', secret(`matcher/jwt-${TENANT}`)))).toBe(false);
  });
});
