import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretReader } from '../../../functions/adapters/secrets-manager.ts';
import { startFakeSecretsManager, type FakeSecretsManager } from '../../doubles/fake-secrets-manager.ts';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/jwt-AbCdEf';

describe('createSecretReader', () => {
  let fake: FakeSecretsManager;
  let read: ReturnType<typeof createSecretReader>;
  beforeAll(async () => {
    fake = await startFakeSecretsManager({ [ARN]: { SecretString: 'the-hmac-secret' }, binary: { SecretBinary: 'AAEC' } });
    read = createSecretReader({
      endpoint: fake.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(() => fake.stop());

  it('asks GetSecretValue for the ARN and returns the string value', async () => {
    await expect(read(ARN)).resolves.toBe('the-hmac-secret');
    expect(fake.calls.at(-1)).toEqual({ target: 'secretsmanager.GetSecretValue', body: { SecretId: ARN } });
  });

  it('refuses a secret without a string value', async () => {
    await expect(read('binary')).rejects.toThrow('the secret has no string value');
  });

  it('lets the service error through, by name', async () => {
    await expect(read('arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing-XyZ123')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
