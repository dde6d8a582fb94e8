import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/config/environment.ts';
import type { SecretReader } from '../../../functions/config/section.ts';
import { loadConfig, resolveConfig } from '../../../functions/config/service-config.ts';

const JWT_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/jwt-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/fetcher-token-GhIjKl';
const HMAC = 'an-hmac-secret-of-at-least-32-characters!';

const base = {
  FETCHER_URL: 'https://fetcher.example.com',
  TABLE_NAME: 'cache',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync',
  CURSOR_SECRET: 'c'.repeat(32),
  IDEMPOTENCY_SECRET: 'an-idempotency-secret-of-32-characters',
};

/** A reader over a fixed map that records what it was asked for. */
const readerOf = (values: Record<string, string>) => {
  const asked: string[] = [];
  const read: SecretReader = async (arn) => {
    asked.push(arn);
    if (!(arn in values)) throw Object.assign(new Error(`no secret ${arn}`), { name: 'ResourceNotFoundException' });
    return values[arn]!;
  };
  return { read, asked };
};

describe('secrets named by ARN', () => {
  it('reads the JWT HMAC secret and the Fetcher token once, at resolution', async () => {
    const { read, asked } = readerOf({ [JWT_ARN]: HMAC, [TOKEN_ARN]: 'fetcher-token' });
    const config = await resolveConfig(read, {
      ...base,
      JWT_SECRET_ARN: JWT_ARN,
      FETCHER_AUTH: 'bearer',
      FETCHER_TOKEN_SECRET_ARN: TOKEN_ARN,
    });
    expect(config.auth.keys).toEqual({ kind: 'secret', secret: HMAC });
    expect(config.fetcher.auth).toEqual({ mode: 'bearer', token: 'fetcher-token' });
    expect(asked.sort()).toEqual([JWT_ARN, TOKEN_ARN].sort());
  });

  it('reads nothing when no ARN is set', async () => {
    const { read, asked } = readerOf({});
    const config = await resolveConfig(read, { ...base, JWT_JWKS_URL: 'https://issuer.example.com/jwks.json' });
    expect(config.auth.keys.kind).toBe('jwks');
    expect(asked).toEqual([]);
  });

  it('does not read the Fetcher token secret unless FETCHER_AUTH=bearer', async () => {
    const { read, asked } = readerOf({ [JWT_ARN]: HMAC });
    const config = await resolveConfig(read, { ...base, JWT_SECRET_ARN: JWT_ARN, FETCHER_TOKEN_SECRET_ARN: TOKEN_ARN });
    expect(config.fetcher.auth).toEqual({ mode: 'none' });
    expect(asked).toEqual([JWT_ARN]);
  });

  it('checks the environment before reading anything', async () => {
    const { read, asked } = readerOf({ [JWT_ARN]: HMAC });
    await expect(resolveConfig(read, { ...base, JWT_SECRET_ARN: JWT_ARN, MAX_BODY_BYTES: 'lots' })).rejects.toThrow('MAX_BODY_BYTES');
    expect(asked).toEqual([]);
  });

  it('names the variable, and only the error name, when a secret cannot be read', async () => {
    const { read } = readerOf({});
    const error = await resolveConfig(read, { ...base, JWT_SECRET_ARN: JWT_ARN }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Invalid configuration: JWT_SECRET_ARN: the secret could not be read (ResourceNotFoundException)',
    );
  });

  it('refuses an HMAC secret shorter than 32 characters, without quoting it', async () => {
    const short = 'short-secret-value';
    const { read } = readerOf({ [JWT_ARN]: short });
    const error = await resolveConfig(read, { ...base, JWT_SECRET_ARN: JWT_ARN }).catch((e: Error) => e);
    expect((error as Error).message).toContain('JWT_SECRET_ARN: the secret must be at least 32 characters');
    expect((error as Error).message).not.toContain(short);
  });

  it.each([
    [
      { JWT_SECRET_ARN: JWT_ARN, JWT_JWKS_URL: 'https://issuer.example.com/jwks.json' },
      'set exactly one of JWT_JWKS_URL or JWT_SECRET or JWT_SECRET_ARN',
    ],
    [{ JWT_SECRET_ARN: JWT_ARN, JWT_SECRET: HMAC }, 'set exactly one of JWT_JWKS_URL or JWT_SECRET or JWT_SECRET_ARN'],
    [{ JWT_SECRET_ARN: 'matcher/jwt' }, 'JWT_SECRET_ARN: must be a Secrets Manager secret ARN'],
    [
      { JWT_SECRET: HMAC, FETCHER_AUTH: 'bearer', FETCHER_TOKEN: 't', FETCHER_TOKEN_SECRET_ARN: TOKEN_ARN },
      'set exactly one of FETCHER_TOKEN or FETCHER_TOKEN_SECRET_ARN',
    ],
    [
      { JWT_SECRET: HMAC, FETCHER_TOKEN_SECRET_ARN: 'arn:aws:s3:::bucket' },
      'FETCHER_TOKEN_SECRET_ARN: must be a Secrets Manager secret ARN',
    ],
  ])('fails naming the variable for %j', (override, message) => {
    expect(() => loadConfig({ ...base, ...override })).toThrow(message);
  });

  it('keeps loadConfig synchronous: an ARN whose value was not read is an error, not an empty secret', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET_ARN: JWT_ARN })).toThrow('JWT_SECRET_ARN: the secret has not been read');
    expect(loadConfig({ ...base, JWT_SECRET_ARN: JWT_ARN }, { JWT_SECRET_ARN: HMAC }).auth.keys).toEqual({ kind: 'secret', secret: HMAC });
  });
});

describe('client credentials and the idempotency secret by ARN', () => {
  const CLIENT_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/fetcher-client-MnOpQr';
  const IDEMPOTENCY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/idempotency-StUvWx';
  const env = {
    ...base,
    IDEMPOTENCY_SECRET: undefined,
    IDEMPOTENCY_SECRET_ARN: IDEMPOTENCY_ARN,
    JWT_JWKS_URL: 'https://issuer.example.com/jwks.json',
    FETCHER_AUTH: 'client_credentials',
    FETCHER_TOKEN_URL: 'https://auth.example.com/v1/login/oauth/access_token',
    FETCHER_CLIENT_SECRET_ARN: CLIENT_ARN,
  };

  it('reads the client id and secret from one JSON secret, and the HMAC key from another', async () => {
    const { read, asked } = readerOf({ [CLIENT_ARN]: '{"clientId":"matcher","clientSecret":"s3cret"}', [IDEMPOTENCY_ARN]: 'i'.repeat(40) });
    const config = await resolveConfig(read, env);
    expect(config.fetcher.auth).toMatchObject({
      mode: 'client_credentials',
      clientId: 'matcher',
      clientSecret: 's3cret',
      tokenUrl: env.FETCHER_TOKEN_URL,
    });
    expect(config.idempotency.secret).toBe('i'.repeat(40));
    expect(asked.sort()).toEqual([CLIENT_ARN, IDEMPOTENCY_ARN].sort());
  });

  it('lets FETCHER_CLIENT_ID name the client when the secret holds only the secret', async () => {
    const { read } = readerOf({ [CLIENT_ARN]: '{"clientSecret":"s3cret"}', [IDEMPOTENCY_ARN]: 'i'.repeat(40) });
    const config = await resolveConfig(read, { ...env, FETCHER_CLIENT_ID: 'from-env' });
    expect(config.fetcher.auth).toMatchObject({ clientId: 'from-env', clientSecret: 's3cret' });
  });

  it.each([
    ['not JSON', 'just-a-string', 'FETCHER_CLIENT_SECRET_ARN: the secret must be JSON'],
    ['JSON without a client id', '{"clientSecret":"s"}', 'FETCHER_CLIENT_ID: required'],
  ])('refuses a client secret that is %s, without quoting it', async (_, value, message) => {
    const { read } = readerOf({ [CLIENT_ARN]: value, [IDEMPOTENCY_ARN]: 'i'.repeat(40) });
    const error = (await resolveConfig(read, env).catch((e: Error) => e)) as Error;
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(value);
  });

  it('refuses an idempotency secret shorter than 32 characters', async () => {
    const { read } = readerOf({ [CLIENT_ARN]: '{"clientId":"a","clientSecret":"b"}', [IDEMPOTENCY_ARN]: 'short' });
    await expect(resolveConfig(read, env)).rejects.toThrow('IDEMPOTENCY_SECRET_ARN: the secret must be at least 32 characters');
  });
});
