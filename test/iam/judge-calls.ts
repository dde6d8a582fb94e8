import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall, CalledResource } from '../support/aws-call-log.ts';
import { TEST_ACCOUNT } from '../support/template-values.ts';
import { deployedArn, listOf, type FunctionRole, type Resources } from './function-roles.ts';
import type { TemplateValues } from '../support/template-values.ts';

// A transaction is authorised item by item, with the item's own action.
const ITEM_ACTION: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The IAM action an API call needs, from its X-Amz-Target: a batch of SQS messages is the single action. */
export const iamActionOf = (target: string, resource: CalledResource): string | undefined => {
  const [prefix = '', operation = ''] = target.split('.');
  if (prefix.startsWith('DynamoDB_')) return `dynamodb:${resource.item ? ITEM_ACTION[resource.item] : operation}`;
  if (prefix === 'AmazonSQS') return `sqs:${operation.replace(/Batch$/, '')}`;
  if (prefix === 'secretsmanager') return `secretsmanager:${operation}`;
  return undefined;
};

// A multi-tenant tenant id (functions/http/authenticate.ts): what ends the name of its secret.
const TENANT_SECRET = /^(?!arn:)(.*?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The tenant whose own Fetcher credentials a call read: GetSecretValue by name (every other secret
 * is read by its ARN), the name being the run's FETCHER_TENANT_SECRET_PREFIX and the tenant id.
 */
export const tenantOfSecretRead = (call: Pick<AwsCall, 'target'>, resource: CalledResource): string | undefined => {
  if (call.target !== 'secretsmanager.GetSecretValue') return undefined;
  if (resource.variable !== undefined && resource.variable !== 'FETCHER_TENANT_SECRET_PREFIX') return undefined;
  return TENANT_SECRET.exec(resource.name)?.[2]?.toLowerCase();
};

/** One action on one resource by one function, with the first call that needed it. */
export interface Use {
  fn: string;
  action: string;
  resource: string;
  site: string[];
  test: string;
}

export interface Verdicts {
  allowed: Use[];
  /** Calls the role would refuse, or that cannot be placed: each line names action, resource and call site. */
  refused: string[];
}

const where = (call: AwsCall) => `${call.site.slice(0, 4).join(' <- ')} (test: ${call.testFile} > ${call.testName})`;

/** What IAM would answer the role for this action on this resource, by its identity policies alone. */
export const evaluate = (role: FunctionRole, action: string, resource: string) =>
  runSimulation(
    {
      request: { principal: role.roleArn, action, resource: { resource, accountId: TEST_ACCOUNT }, contextVariables: {} },
      identityPolicies: role.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );

/** Judges each distinct (function, action, resource) of the calls against that function's role. */
export const judgeCalls = async (
  calls: AwsCall[],
  roles: FunctionRole[],
  values: TemplateValues,
  resources: Resources,
): Promise<Verdicts> => {
  const uses = new Map<string, Use>();
  const refused: string[] = [];
  for (const call of calls) {
    if (!call.fn) continue;
    const role = roles.find((candidate) => candidate.fn.name === call.fn);
    if (!role) {
      refused.push(`${call.fn}: a function the stack does not have sent ${call.target}, at ${where(call)}`);
      continue;
    }
    if (call.resources.length === 0)
      refused.push(`${call.fn}: ${call.target || `a call to ${call.host}`} names no resource, at ${where(call)}`);
    for (const resource of call.resources) {
      const action = iamActionOf(call.target, resource);
      const tenantId = tenantOfSecretRead(call, resource);
      const reached = deployedArn(role, tenantId === undefined ? resource : { tenantId }, values, resources);
      if (!action) refused.push(`${call.fn}: ${call.target || call.host} has no IAM action known here, at ${where(call)}`);
      else if ('problem' in reached)
        refused.push(`${call.fn}: ${action} on ${resource.name} reaches ${reached.problem}, at ${where(call)}`);
      else {
        const key = `${call.fn} ${action} ${reached.arn}`;
        if (!uses.has(key))
          uses.set(key, { fn: call.fn, action, resource: reached.arn, site: call.site, test: `${call.testFile} > ${call.testName}` });
      }
    }
  }
  const allowed: Use[] = [];
  for (const use of uses.values()) {
    const role = roles.find((candidate) => candidate.fn.name === use.fn)!;
    const result = await evaluate(role, use.action, use.resource);
    if (result.resultType === 'error')
      refused.push(`${use.fn}: ${use.action} on ${use.resource} could not be evaluated: ${JSON.stringify(result.errors)}`);
    else if (result.overallResult !== 'Allowed')
      refused.push(
        `${use.fn}: ${use.action} on ${use.resource} is ${result.overallResult} by its role, called at ${use.site.slice(0, 4).join(' <- ')} (test: ${use.test})`,
      );
    else allowed.push(use);
  }
  return { allowed, refused };
};

/** An IAM pattern (`*`, `?`) matching a value. */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(value);

/** Each (action, resource) a role allows that no allowed call used. */
export const unusedGrants = (role: FunctionRole, allowed: Use[]): { action: string; resource: string }[] => {
  const mine = allowed.filter((use) => use.fn === role.fn.name);
  return role.policies.flatMap(({ policy }) =>
    listOf(policy.Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) =>
        listOf(statement.Action).flatMap((action) =>
          listOf(statement.Resource)
            .filter((resource) => !mine.some((use) => matches(action, use.action) && matches(resource, use.resource)))
            .map((resource) => ({ action, resource })),
        ),
      ),
  );
};
