import type { LambdaFunction } from '../../functions/lambda-functions.ts';
import { resolveDiscoverySettings } from '../../infra/discovery-settings.ts';
import { functionEnvironment } from '../../infra/function-environment.ts';

/** Settings of a plain deployment: JWKS tokens, Fetcher without credentials, tracing on (the default). */
const SETTINGS = resolveDiscoverySettings({
  fetcherUrl: 'https://fetcher.example.com',
  jwt: { jwksUrl: 'https://issuer.example.com/.well-known/jwks.json', issuer: 'https://issuer.example.com', audience: 'matcher' },
});

const REFS = {
  cacheTable: 'discovery-cache',
  idempotencyTable: 'discovery-idempotency',
  idempotencySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:idempotency-AbCdEf',
  cursorSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor-AbCdEf',
  syncQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/discovery-sync',
};

/** What the Lambda runtime sets in every function's process (credentials are the runtime's own, here dummies). */
const runtimeVariables = (name: string, taskRoot: string): Record<string, string> => ({
  AWS_LAMBDA_FUNCTION_NAME: `matcher-discovery-${name}`,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(SETTINGS.memorySize),
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/matcher-discovery-${name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
  AWS_SECRET_ACCESS_KEY: 'example-secret-access-key-0000000000000',
  AWS_SESSION_TOKEN: 'example-session-token',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  LAMBDA_TASK_ROOT: taskRoot,
  _HANDLER: 'index.handler',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
});

/**
 * A function's process environment as Lambda would give it: the runtime's variables and the ones the
 * stack sets for this function (NODE_OPTIONS=--enable-source-maps included). The secrets the stack
 * names by ARN are given as values, so a cold start makes no network call; loading the Secrets Manager
 * client when an ARN is set is measured on its own, as a lever.
 */
export const lambdaEnvironment = (fn: LambdaFunction | undefined, taskRoot: string): Record<string, string> => {
  const stack = fn ? functionEnvironment(fn, SETTINGS, REFS) : functionEnvironment(BASELINE_FUNCTION, SETTINGS, REFS);
  const variables = Object.fromEntries(
    Object.entries(stack).map(([variable, value]) =>
      variable.endsWith('_SECRET_ARN') ? [variable.replace(/_ARN$/, ''), 'i'.repeat(40)] : [variable, value],
    ),
  );
  return { PATH: process.env.PATH ?? '', ...runtimeVariables(fn?.name ?? 'baseline', taskRoot), ...variables };
};

// A baseline gets the variables of a function with a table and nothing else.
const BASELINE_FUNCTION: LambdaFunction = { name: 'baseline', entry: '', trigger: 'schedule', sections: ['cache'], tables: {} };
