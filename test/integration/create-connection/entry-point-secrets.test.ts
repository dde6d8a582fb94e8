import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeSecretsManager, type FakeSecretsManager } from '../../doubles/fake-secrets-manager.ts';
import { createConnectionEvent } from '../../support/route-event.ts';
import { lambdaContext } from '../../tools/lambda-context.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';

const JWT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:matcher/jwt-AbCdEf';
const HMAC = 'hmac-secret-read-from-secrets-manager-at-cold-start';

let service: TestService;
let secrets: FakeSecretsManager;
beforeAll(async () => {
  service = await startService();
  secrets = await startFakeSecretsManager({ [JWT_ARN]: { SecretString: HMAC } });
});
afterAll(async () => {
  await service.stop();
  await secrets.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('functions/create-connection/handler.ts with JWT_SECRET_ARN', () => {
  it('reads the HMAC secret from Secrets Manager once, at cold start, and verifies tokens with it', async () => {
    const { JWT_JWKS_URL: _, JWT_ISSUER: __, JWT_AUDIENCE: ___, ...env } = service.env;
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.stubEnv('JWT_SECRET_ARN', JWT_ARN);
    // The SDK's own service endpoint variable points the real client at the loopback fake.
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secrets.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_REGION', 'us-east-1');

    const { handler } = await import('../../../functions/create-connection/handler.ts');
    expect(secrets.calls).toEqual([{ target: 'secretsmanager.GetSecretValue', body: { SecretId: JWT_ARN } }]);

    const token = await new SignJWT({ scope: 'discovery:write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(HMAC));
    const ok = await handler(createConnectionEvent({ body: validBody(), token }), lambdaContext());
    expect(ok.statusCode).toBe(201);
    const forged = await new SignJWT({ scope: 'discovery:write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(`${HMAC}-not`));
    expect((await handler(createConnectionEvent({ body: validBody(), token: forged }), lambdaContext())).statusCode).toBe(401);
    expect(secrets.calls).toHaveLength(1);
  });
});
