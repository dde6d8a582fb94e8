import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { LAMBDA_FUNCTIONS, type SectionName } from '../../../functions/lambda-functions.ts';
import { startFakeSecretsManager, type FakeSecretsManager } from '../../doubles/fake-secrets-manager.ts';
import { asFunction } from '../../support/function-invocation.ts';
import { TEST_TABLES } from '../../support/global-setup.ts';
import { REPO_ROOT } from '../../tools/local-paths.ts';

// Secrets by ARN, as a deployment passes them: the stack's variables, each read once at cold start.
const SECRET_VARIABLE: Partial<Record<SectionName, string>> = {
  auth: 'JWT_SECRET_ARN',
  fetcher: 'FETCHER_TOKEN_SECRET_ARN',
  idempotency: 'IDEMPOTENCY_SECRET_ARN',
  cursor: 'CURSOR_SECRET_ARN',
};
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;
const SECRETS = {
  JWT_SECRET_ARN: { arn: arn('matcher/jwt-hmac-AbCdEf'), value: 'an-hmac-secret-of-at-least-32-characters' },
  FETCHER_TOKEN_SECRET_ARN: { arn: arn('matcher/fetcher-token-GhIjKl'), value: 'fetcher-bearer-token' },
  IDEMPOTENCY_SECRET_ARN: { arn: arn('matcher-discovery/idempotency-MnOpQr'), value: 'an-idempotency-secret-of-32-characters' },
  CURSOR_SECRET_ARN: { arn: arn('matcher-discovery/cursor-StUvWx'), value: 'a-cursor-secret-of-at-least-32-characters' },
};

let secrets: FakeSecretsManager;
beforeAll(async () => {
  secrets = await startFakeSecretsManager(
    Object.fromEntries(Object.values(SECRETS).map(({ arn: secretArn, value }) => [secretArn, { SecretString: value }])),
  );
});
afterAll(() => secrets.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** What the stack gives every function, with every secret by ARN and Secrets Manager on loopback. */
const deployedEnvironment = (): Record<string, string> => ({
  FETCHER_URL: 'https://fetcher.example.com',
  FETCHER_AUTH: 'bearer',
  TABLE_NAME: TEST_TABLES.cache,
  IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency,
  DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/matcher-discovery-sync',
  ...Object.fromEntries(Object.entries(SECRETS).map(([variable, { arn: secretArn }]) => [variable, secretArn])),
  // The SDK's own endpoint variable points the real client at the loopback fake.
  AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'eu-west-1',
});

describe('each function of functions/lambda-functions.ts at cold start', () => {
  it.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))(
    '%s reads, by ARN, exactly the secrets of the configuration sections it lists',
    async (name, fn) => {
      const env = deployedEnvironment();
      for (const [variable, value] of Object.entries(env)) vi.stubEnv(variable, value);
      const before = secrets.calls.length;
      // The handler module as Lambda loads it: its top-level await is the cold start.
      const module = (await asFunction(name, env, () => import(`${REPO_ROOT}/${fn.entry}`))) as { handler: unknown };
      expect(typeof module.handler).toBe('function');

      const read = secrets.calls.slice(before).map((call) => call.body.SecretId as string);
      const expected = fn.sections.flatMap((section) => {
        const variable = SECRET_VARIABLE[section];
        return variable ? [SECRETS[variable as keyof typeof SECRETS].arn] : [];
      });
      expect(read.sort()).toEqual(expected.sort());
      expect(secrets.calls.slice(before).every((call) => call.target === 'secretsmanager.GetSecretValue')).toBe(true);
    },
  );
});
