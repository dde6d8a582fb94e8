import { Aws } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { LambdaFunction } from '../functions/lambda-functions.ts';
import type { ResolvedDiscoverySettings } from './discovery-settings.ts';
import { tenantSecretPrefixOf } from './fetcher-identity.ts';

export interface GrantTargets {
  cacheTable: TableV2;
  idempotencyTable: TableV2;
  idempotencySecretArn: string;
  cursorSecretArn: string;
  syncQueue: IQueue;
}

/** The secret ARNs a function reads at cold start: those of the configuration sections it reads. */
const secretArnsOf = (fn: LambdaFunction, settings: ResolvedDiscoverySettings, targets: GrantTargets): string[] => {
  const arns: (string | undefined)[] = [];
  if (fn.sections.includes('auth')) arns.push(settings.jwt.secretArn);
  const { fetcherAuth } = settings;
  // Per-tenant credentials have no one ARN: see tenantSecretsArn.
  if (fn.sections.includes('fetcher') && fetcherAuth && !('tenantSecretPrefix' in fetcherAuth)) {
    arns.push('tokenSecretArn' in fetcherAuth ? fetcherAuth.tokenSecretArn : fetcherAuth.clientSecretArn);
  }
  if (fn.sections.includes('idempotency')) arns.push(targets.idempotencySecretArn);
  if (fn.sections.includes('cursor')) arns.push(targets.cursorSecretArn);
  return arns.filter((arn): arn is string => arn !== undefined);
};

/**
 * Every secret named by the tenant secret prefix, in the stack's account and region: IAM matches a
 * name given to GetSecretValue against the secret's full ARN, whose 6-character suffix the `*` covers.
 */
export const tenantSecretsArn = (settings: ResolvedDiscoverySettings): string | undefined => {
  const prefix = tenantSecretPrefixOf(settings);
  return prefix === undefined ? undefined : `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${prefix}*`;
};

/** The actions on the table itself, and Query alone on each index named (never index/*). */
const grantTable = (role: Role, table: TableV2, actions: readonly string[], indexes: readonly string[]) => {
  if (actions.length === 0) return;
  role.addToPrincipalPolicy(new PolicyStatement({ actions: actions.map((action) => `dynamodb:${action}`), resources: [table.tableArn] }));
  if (indexes.length === 0) return;
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes.map((index) => `${table.tableArn}/index/${index}`) }),
  );
};

/**
 * Grants a function's role exactly the AWS calls functions/lambda-functions.ts lists for it: its
 * table actions on each table alone (and the cache table's indexes only for Query), and
 * GetSecretValue on the exact ARNs it reads. No wildcard action; no wildcard resource but the
 * tenants' secrets under their prefix, for the functions that call Fetcher.
 */
export const grantFunction = (role: Role, fn: LambdaFunction, settings: ResolvedDiscoverySettings, targets: GrantTargets): void => {
  const { cache = [], idempotency = [] } = fn.tables;
  grantTable(role, targets.cacheTable, cache, fn.cacheIndexes ?? []);
  grantTable(role, targets.idempotencyTable, idempotency, []);
  // SendMessage alone: a batch of messages is the same action; the queue's attributes are never read.
  if (fn.sendsToQueue)
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.syncQueue.queueArn] }));
  const secretArns = secretArnsOf(fn, settings, targets);
  // Read once per cold start, by exact ARN; never DescribeSecret, never a wildcard.
  if (secretArns.length)
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }));
  const tenantSecrets = fn.sections.includes('fetcher') ? tenantSecretsArn(settings) : undefined;
  // The tenants' secrets are added by an operator after the deploy: the one wildcard, after the prefix alone.
  if (tenantSecrets)
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [tenantSecrets] }));
  if ((secretArns.length || tenantSecrets) && settings.secretsKmsKeyArn) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [settings.secretsKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
};
