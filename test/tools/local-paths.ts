import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Where the harness keeps state between runs: `.local/` (gitignored), or LOCAL_STATE_DIR (tests use a temp dir). */
export const localStateDir = (env: NodeJS.ProcessEnv = process.env): string => resolve(REPO_ROOT, env.LOCAL_STATE_DIR?.trim() || '.local');

/** The dev issuer's key pair: kept so tokens survive a restart. */
export const devIssuerKeysDir = (env: NodeJS.ProcessEnv = process.env): string => join(localStateDir(env), 'dev-issuer');

/** DynamoDB Local's files with --persist. */
export const dynamoDbDataDir = (env: NodeJS.ProcessEnv = process.env): string => join(localStateDir(env), 'dynamodb');

/** The local IDEMPOTENCY_SECRET: kept so a replay after a restart (with --persist) still matches. */
/** Where a server secret the harness made is kept: IDEMPOTENCY_SECRET in .local/idempotency-secret, and so on. */
export const localSecretFile = (env: NodeJS.ProcessEnv, variable: string): string =>
  join(localStateDir(env), variable.toLowerCase().replaceAll('_', '-'));
