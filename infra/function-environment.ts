import { Token } from 'aws-cdk-lib';
import { checkEnvironment, variablesOf } from '../functions/config/service-config.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunction } from '../functions/lambda-functions.ts';
import { SERVICE_NAME } from '../functions/observability/service-name.ts';
import { DiscoverySettingsError, type ResolvedDiscoverySettings } from './discovery-settings.ts';

/** Variables that change what a function may read or whose identity it presents: only their setting may set them. */
const FROM_SETTINGS: Record<string, string> = {
  FETCHER_TENANT_SECRET_PREFIX: 'fetcherAuth.tenantSecretPrefix',
  FETCHER_TOKEN_SECRET_ARN: 'fetcherAuth.tokenSecretArn',
  FETCHER_CLIENT_SECRET_ARN: 'fetcherAuth.clientSecretArn',
  FETCHER_TOKEN_URL: 'fetcherAuth.tokenUrl',
  FETCHER_CLIENT_ID: 'fetcherAuth.clientId',
};

/** Variables that would put a secret's value in the template: they have an ARN-based setting instead. */
const SECRET_VALUES: Record<string, string> = {
  JWT_SECRET: 'jwt.secretArn',
  FETCHER_TOKEN: 'fetcherAuth.tokenSecretArn',
  FETCHER_CLIENT_SECRET: 'fetcherAuth.clientSecretArn',
  IDEMPOTENCY_SECRET: 'idempotencySecretArn',
  CURSOR_SECRET: 'cursorSecretArn',
};

const ARN_AT_DEPLOY = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:resolved-at-deploy-AbCdEf';
const URL_AT_DEPLOY = 'https://sqs.us-east-1.amazonaws.com/000000000000/resolved-at-deploy';

/** What the stack creates that a function's environment names. */
export interface StackReferences {
  cacheTable: string;
  idempotencyTable: string;
  idempotencySecretArn: string;
  cursorSecretArn: string;
  syncQueueUrl: string;
}

const fetcherAuthEnvironment = (fetcherAuth: ResolvedDiscoverySettings['fetcherAuth']): Record<string, string> => {
  if (!fetcherAuth) return { FETCHER_AUTH: 'none' };
  if ('tokenSecretArn' in fetcherAuth) return { FETCHER_AUTH: 'bearer', FETCHER_TOKEN_SECRET_ARN: fetcherAuth.tokenSecretArn };
  // Per tenant: the function reads `${prefix}${tenantId}` when that tenant first calls Fetcher.
  if ('tenantSecretPrefix' in fetcherAuth)
    return {
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: fetcherAuth.tokenUrl,
      FETCHER_TENANT_SECRET_PREFIX: fetcherAuth.tenantSecretPrefix,
    };
  return {
    FETCHER_AUTH: 'client_credentials',
    FETCHER_TOKEN_URL: fetcherAuth.tokenUrl,
    FETCHER_CLIENT_SECRET_ARN: fetcherAuth.clientSecretArn,
    ...(fetcherAuth.clientId ? { FETCHER_CLIENT_ID: fetcherAuth.clientId } : {}),
  };
};

/** Every variable the stack sets from the settings, before it is cut down to what one function reads. */
const ownedVariables = (settings: ResolvedDiscoverySettings, refs: StackReferences): Record<string, string> => {
  const { jwt } = settings;
  return {
    FETCHER_URL: settings.fetcherUrl,
    ...fetcherAuthEnvironment(settings.fetcherAuth),
    ...(jwt.jwksUrl ? { JWT_JWKS_URL: jwt.jwksUrl } : {}),
    ...(jwt.secretArn ? { JWT_SECRET_ARN: jwt.secretArn } : {}),
    ...(jwt.issuer ? { JWT_ISSUER: jwt.issuer } : {}),
    ...(jwt.audience ? { JWT_AUDIENCE: jwt.audience } : {}),
    MULTI_TENANT: String(settings.multiTenant),
    // Always set, so functionEnvironment cannot turn it on past the synth's check.
    FETCHER_SHARED_IDENTITY: String(settings.fetcherSharedIdentity),
    ...(settings.allowedHostCidrs.length ? { ALLOWED_HOST_CIDRS: settings.allowedHostCidrs.join(',') } : {}),
    TABLE_NAME: refs.cacheTable,
    IDEMPOTENCY_TABLE_NAME: refs.idempotencyTable,
    IDEMPOTENCY_SECRET_ARN: refs.idempotencySecretArn,
    CURSOR_SECRET_ARN: refs.cursorSecretArn,
    SYNC_QUEUE_URL: refs.syncQueueUrl,
  };
};

/** Checks the settings' extra variables once, whichever function they end up in. */
export const checkFunctionEnvironment = (settings: ResolvedDiscoverySettings, refs: StackReferences): void => {
  const owned = ownedVariables(settings, refs);
  const problems: string[] = [];
  const known = new Set(LAMBDA_FUNCTIONS.flatMap((fn) => fn.sections.flatMap((section) => variablesOf(section))));
  for (const name of Object.keys(settings.functionEnvironment)) {
    if (name in SECRET_VALUES) problems.push(`functionEnvironment.${name}: would put a secret in the template; use ${SECRET_VALUES[name]}`);
    else if (name in FROM_SETTINGS) problems.push(`functionEnvironment.${name}: set by the stack from ${FROM_SETTINGS[name]}, not here`);
    else if (name === 'POWERTOOLS_LOGGER_LOG_EVENT') {
      problems.push(`functionEnvironment.${name}: events carry the password and the token; they are never logged`);
    } else if (name in owned || name.startsWith('AWS_') || name === 'DYNAMODB_ENDPOINT' || name === 'FETCHER_ALLOW_INSECURE_HTTP') {
      problems.push(`functionEnvironment.${name}: set by the stack, not here`);
    } else if (!known.has(name) && !name.startsWith('POWERTOOLS_')) {
      problems.push(`functionEnvironment.${name}: no function reads it`);
    }
  }
  if (problems.length) throw new DiscoverySettingsError(problems);
  try {
    // A secret the stack generates has its ARN only at deploy time: check the shape with a stand-in.
    checkEnvironment(
      Object.fromEntries(
        Object.entries({ ...owned, ...settings.functionEnvironment }).map(([name, value]) => [
          name,
          Token.isUnresolved(value) && name.endsWith('_SECRET_ARN')
            ? ARN_AT_DEPLOY
            : Token.isUnresolved(value) && name.endsWith('_URL')
              ? URL_AT_DEPLOY
              : value,
        ]),
      ),
    );
  } catch (error) {
    throw new DiscoverySettingsError([`functionEnvironment: ${(error as Error).message}`]);
  }
};

/**
 * One function's environment: the variables of the configuration sections it reads and no others,
 * so a read route never carries Fetcher's settings. Secrets travel as ARNs only; the function reads
 * their values at cold start.
 */
export const functionEnvironment = (
  fn: LambdaFunction,
  settings: ResolvedDiscoverySettings,
  refs: StackReferences,
): Record<string, string> => {
  const readable = new Set(fn.sections.flatMap((section) => variablesOf(section)));
  const chosen = Object.entries({ ...ownedVariables(settings, refs), ...settings.functionEnvironment }).filter(
    ([name]) => readable.has(name) || name.startsWith('POWERTOOLS_'),
  );
  return {
    ...Object.fromEntries(chosen),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: settings.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    POWERTOOLS_TRACE_ENABLED: String(settings.tracing),
    // Traces record that a call failed, never what it answered or what the error said.
    POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
    NODE_OPTIONS: '--enable-source-maps',
  };
};
