import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessEnv, removeStateDir, run, tempStateDir } from '../../support/harness-process.ts';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../doubles/dev-issuer.ts';
import { devIssuerKeysDir } from '../../tools/local-paths.ts';

let stateDir: string;
beforeAll(async () => {
  stateDir = await tempStateDir();
});
afterAll(() => removeStateDir(stateDir));

const token = (...args: string[]) => run('npm', ['run', '-s', 'token', '--', ...args], harnessEnv({ LOCAL_STATE_DIR: stateDir }), 30_000);

const publicKey = async () => {
  const { publicJwk } = JSON.parse(
    await readFile(join(devIssuerKeysDir({ LOCAL_STATE_DIR: stateDir }), 'dev-issuer-keys.json'), 'utf8'),
  ) as { publicJwk: JWK };
  return { kid: publicJwk.kid, key: await importJWK(publicJwk, 'ES256') };
};

describe('npm run token (test/tools/token.ts)', () => {
  it('prints a dev token signed with a key it creates in the state dir, with discovery:write for an hour', async () => {
    const { code, stdout } = await token();
    expect(code).toBe(0);
    const { key, kid } = await publicKey();
    const { payload, protectedHeader } = await jwtVerify(stdout.trim(), key, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid });
    expect(payload).toMatchObject({ scope: 'discovery:write', sub: 'dev-user' });
    expect(payload.tenant_id).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('takes scope, tenant, lifetime and subject, and signs with the same key again', async () => {
    const { kid } = await publicKey();
    const { stdout } = await token(
      '--scope',
      'discovery:read discovery:write',
      '--tenant',
      '8a0c4c0e-1b7e-4c47-9d55-0c4a8f3a6e11',
      '--ttl',
      '120',
      '--subject',
      'ana',
    );
    expect(decodeProtectedHeader(stdout.trim()).kid).toBe(kid);
    const { payload } = await jwtVerify(stdout.trim(), (await publicKey()).key);
    expect(payload).toMatchObject({
      scope: 'discovery:read discovery:write',
      tenant_id: '8a0c4c0e-1b7e-4c47-9d55-0c4a8f3a6e11',
      sub: 'ana',
    });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('gives an expired token for a negative lifetime', async () => {
    const { stdout } = await token('--ttl=-60');
    await expect(jwtVerify(stdout.trim(), (await publicKey()).key)).rejects.toThrow(/"exp" claim timestamp check failed/);
  });

  it('refuses a lifetime that is not a number of seconds', async () => {
    const { code, stdout, stderr } = await token('--ttl', 'soon');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('--ttl must be a whole number of seconds');
  });
});
