import type { SecretsManagerClient, SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/** Reads a secret's value by its ARN. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * Reads a secret's current string value from Secrets Manager. The SDK client is imported on first
 * use, so a function configured without secret ARNs never loads it (the Lambda runtime provides it).
 */
export const createSecretReader = (clientConfig: SecretsManagerClientConfig = {}): SecretReader => {
  let client: SecretsManagerClient | undefined;
  return async (arn) => {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    client ??= new SecretsManagerClient({ maxAttempts: 3, ...clientConfig });
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString) throw new TypeError('the secret has no string value');
    return SecretString;
  };
};
