import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { readAwsCallLog, type AwsCall } from '../support/aws-call-log.ts';
import { PROJECT_CONTEXT, SECRET_ARNS, synthApp } from '../support/cdk-app.ts';
import type { TemplateValues } from '../support/template-values.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';
import { deployedArn, functionRoles, type FunctionRole, type Resources } from './function-roles.ts';
import { judgeCalls, unusedGrants, type Verdicts } from './judge-calls.ts';
import { readsTenantSecret, TENANT_CREDENTIALS } from './tenant-secrets.ts';
import { UNEXERCISED_GRANTS, type UnexercisedGrant } from './unexercised-grants.ts';

/**
 * Runs after every other test (vitest.config.ts puts test/iam/ in a later group): the AWS calls the
 * functions made during the run (test/support/record-aws-calls.ts), judged against the roles of the
 * synthesized stack by an offline IAM evaluator, both ways: every call allowed, every grant used.
 */

// Every kind of grant in one deployment: the JWT HMAC key and Fetcher's token by ARN, beside the
// idempotency and cursor secrets the stack generates.
const SETTINGS = {
  jwt: { secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' },
  fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken },
};
// A multi-tenant run reads each tenant's Fetcher credentials by name: judged as the deployment with
// per-tenant credentials would have them (test/iam/tenant-secrets.ts).
const TENANT_SETTINGS = { ...SETTINGS, ...TENANT_CREDENTIALS };

let calls: AwsCall[] | undefined;
let roles: FunctionRole[];
let values: TemplateValues;
let resources: Resources;
let verdicts: Verdicts;

/** The table of what each function does in AWS and which test shows it, for people (reports/iam-actions.md). */
const writeReport = () => {
  const rows = verdicts.allowed
    .map((use) => `| ${use.fn} | ${use.action} | ${use.resource.replace(/^arn:aws:[a-z]+:[a-z0-9-]+:\d+:/, '')} | ${use.test} |`)
    .sort();
  mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'reports', 'iam-actions.md'),
    ['| function | action | resource | first test that made the call |', '| --- | --- | --- | --- |', ...rows, ''].join('\n'),
  );
};

/** Whether a grant's reason covers this action on this resource of this function. */
const excuses = (grant: UnexercisedGrant, role: FunctionRole, action: string, resource: string) => {
  if (!grant.actions.includes(action) || !grant.appliesTo(role.fn)) return false;
  if (!grant.variable) return true;
  const named = deployedArn(role, { variable: grant.variable }, values, resources);
  return 'arn' in named && named.arn === resource;
};

beforeAll(async () => {
  calls = readAwsCallLog();
  const { stack } = synthApp({ ...PROJECT_CONTEXT, ...SETTINGS });
  ({ roles, values, resources } = functionRoles(stack));
  const perTenant = (calls ?? []).filter(readsTenantSecret);
  const shared = await judgeCalls(
    (calls ?? []).filter((call) => !readsTenantSecret(call)),
    roles,
    values,
    resources,
  );
  // Synthesized only when a run read a tenant's secret (test/iam/tenant-secret-grant.test.ts judges one either way).
  const tenantStack = perTenant.length ? functionRoles(synthApp({ ...PROJECT_CONTEXT, ...TENANT_SETTINGS }).stack) : undefined;
  const tenants = tenantStack
    ? await judgeCalls(perTenant, tenantStack.roles, tenantStack.values, tenantStack.resources)
    : { allowed: [], refused: [] };
  verdicts = { allowed: [...shared.allowed, ...tenants.allowed], refused: [...shared.refused, ...tenants.refused] };
  writeReport();
});

describe("the functions' roles against every AWS call the integration tests made", () => {
  it('has the calls of this run', () => {
    expect(calls, 'no reports/aws-calls/: run the whole suite (npm test), whose global setup starts the log').toBeDefined();
  });

  it('knows every function of functions/lambda-functions.ts, and the stack deploys exactly those', () => {
    expect(roles.map((role) => role.fn.name).sort()).toEqual(LAMBDA_FUNCTIONS.map((fn) => fn.name).sort());
  });

  it('saw every function make AWS calls', () => {
    const silent = LAMBDA_FUNCTIONS.filter((fn) => !calls!.some((call) => call.fn === fn.name)).map((fn) => fn.name);
    expect(silent, 'functions no integration test ran as themselves (test/support/function-invocation.ts)').toEqual([]);
  });

  it('allows every call, as the stack deploys the function that made it', () => {
    expect(verdicts.refused).toEqual([]);
  });

  it('grants nothing no call used, except what AWS does with the role on the function’s behalf', () => {
    const unused = roles.flatMap((role) =>
      unusedGrants(role, verdicts.allowed)
        .filter(({ action, resource }) => !UNEXERCISED_GRANTS.some((grant) => excuses(grant, role, action, resource)))
        .map(({ action, resource }) => `${role.fn.name}: ${action} on ${resource}`),
    );
    expect(unused, 'granted but never called: remove it from functions/lambda-functions.ts, or exercise it in a test').toEqual([]);
  });

  it('evaluates every policy of the roles (no AWS-managed policy it cannot read)', () => {
    expect(roles.filter((role) => role.managedPolicyArns.length > 0).map((role) => role.fn.name)).toEqual([]);
  });

  it('refuses a call once the one grant it needs is taken away', async () => {
    const use = verdicts.allowed.find((candidate) => candidate.action === 'dynamodb:UpdateItem')!;
    const weakened = roles.map((role) =>
      role.fn.name !== use.fn
        ? role
        : {
            ...role,
            policies: role.policies.map(({ name, policy }) => ({
              name,
              policy: {
                ...policy,
                Statement: policy.Statement.map((statement) => ({
                  ...statement,
                  Action: [statement.Action].flat().filter((action) => action !== use.action),
                })),
              },
            })),
          },
    );
    const calling = calls!.filter((call) => call.fn === use.fn && call.target === 'DynamoDB_20120810.UpdateItem');
    const { refused } = await judgeCalls(calling, weakened, values, resources);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatch(
      new RegExp(`^${use.fn}: dynamodb:UpdateItem on ${use.resource} is ImplicitlyDenied by its role, called at `),
    );
    expect(refused[0]).toMatch(/called at \S* ?\(?functions\/adapters\/dynamodb\//);
    expect(refused[0]).toMatch(/\(test: test\/integration\//);
  });
});
