import { Aws } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { LambdaFunction } from '../functions/lambda-functions.ts';
import type { ResolvedDiscoverySettings } from './discovery-settings.ts';

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
  if (fn.sections.includes('fetcher') && settings.fetcherAuth) {
    arns.push('tokenSecretArn' in settings.fetcherAuth ? settings.fetcherAuth.tokenSecretArn : settings.fetcherAuth.clientSecretArn);
  }
  if (fn.sections.includes('idempotency')) arns.push(targets.idempotencySecretArn);
  if (fn.sections.includes('cursor')) arns.push(targets.cursorSecretArn);
  return arns.filter((arn): arn is string => arn !== undefined);
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
 * GetSecretValue on the exact ARNs it reads. No wildcard action, no wildcard resource.
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
  if (secretArns.length && settings.secretsKmsKeyArn) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [settings.secretsKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
};
