import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { lambdaFunction, type LambdaFunction } from '../../functions/lambda-functions.ts';
import type { DiscoveryStack } from '../../infra/discovery-stack.ts';
import { TEST_ACCOUNT, TEST_REGION, templateValues, type TemplateValues } from '../support/template-values.ts';

/** One deployed function as IAM sees it: its role's policies and its environment, every intrinsic resolved. */
export interface FunctionRole {
  fn: LambdaFunction;
  roleArn: string;
  policies: { name: string; policy: { Statement: Statement[] } }[];
  /** The policies CloudFormation attaches by ARN (AWS-managed ones): not evaluated here. */
  managedPolicyArns: string[];
  environment: Record<string, string>;
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

export const listOf = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every function of the stack, with the policies attached to its role. */
export const functionRoles = (stack: DiscoveryStack): { roles: FunctionRole[]; values: TemplateValues; resources: Resources } => {
  const template = Template.fromStack(stack).toJSON() as { Resources: Resources };
  const values = templateValues(template);
  const roles = stack.service.functions.map((deployed) => {
    const functionId = stack.getLogicalId(deployed.function.node.defaultChild as CfnElement);
    const roleId = stack.getLogicalId(deployed.role.node.defaultChild as CfnElement);
    const attached = Object.entries(template.Resources).filter(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Policy' && listOf(resource.Properties?.Roles).some((role: any) => role?.Ref === roleId),
    );
    const role = template.Resources[roleId]!.Properties ?? {};
    return {
      fn: lambdaFunction(deployed.name),
      roleArn: values.arn(roleId),
      policies: [
        ...attached.map(([id, resource]) => ({ name: id, policy: values.resolve(resource.Properties!.PolicyDocument) })),
        ...listOf(role.Policies as { PolicyName: string; PolicyDocument: unknown }[]).map((inline) => ({
          name: inline.PolicyName,
          policy: values.resolve(inline.PolicyDocument),
        })),
      ],
      managedPolicyArns: listOf(values.resolve(role.ManagedPolicyArns) as string[] | undefined),
      environment: values.resolve(template.Resources[functionId]!.Properties!.Environment?.Variables ?? {}) as Record<string, string>,
    };
  });
  return { roles, values, resources: template.Resources };
};

export type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/**
 * The ARN a call reaches, in AWS: the resource the function's deployed environment names under the
 * variable the call used (TABLE_NAME: the cache table, SYNC_QUEUE_URL: the queue, *_SECRET_ARN: that
 * secret), with the index queried; for a tenant's own Fetcher credentials, the secret the deployed
 * FETCHER_TENANT_SECRET_PREFIX names for that tenant. A reason instead when the deployed function
 * would not know it.
 */
export const deployedArn = (
  role: FunctionRole,
  { variable, index, tenantId }: { variable?: string; index?: string; tenantId?: string },
  values: TemplateValues,
  resources: Resources,
): { arn: string } | { problem: string } => {
  if (tenantId !== undefined) {
    const prefix = role.environment.FETCHER_TENANT_SECRET_PREFIX;
    if (prefix === undefined) return { problem: "a tenant's secret, but the stack sets no FETCHER_TENANT_SECRET_PREFIX for it" };
    // By name, as the function reads it; IAM sees the full ARN, with the suffix Secrets Manager added.
    return { arn: `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:${prefix}${tenantId}-AbCdEf` };
  }
  if (!variable) return { problem: 'a resource none of its environment variables names' };
  const value = role.environment[variable];
  if (value === undefined) return { problem: `${variable}, which the stack does not set for it` };
  const id = Object.keys(resources).find((candidate) => {
    try {
      return values.ref(candidate) === value;
    } catch {
      return false;
    }
  });
  const arn = id ? values.arn(id) : value;
  if (!arn.startsWith('arn:')) return { problem: `${variable}=${value}, which is no resource of the stack` };
  return { arn: index ? `${arn}/index/${index}` : arn };
};
