import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRET_ARNS, synthApp } from '../support/cdk-app.ts';

const CANARY = 'CANARY-secret-value-3f9b2c71-never-in-a-template';

afterEach(() => vi.unstubAllEnvs());

describe('secret values never reach the template', () => {
  it('holds only secret ARNs, even when the values are lying around in the deployer’s environment', () => {
    // A careless deployer's shell: the stack must read settings, never the environment.
    for (const name of ['JWT_SECRET', 'FETCHER_TOKEN', 'FETCHER_AUTH', 'JWT_SECRET_ARN']) vi.stubEnv(name, CANARY);
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-canary-'));
    try {
      const { app, template } = synthApp(
        {
          jwt: { secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' },
          fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken },
        },
        { outdir },
      );
      app.synth();
      const everything = readdirSync(outdir)
        .filter((file) => file.endsWith('.json'))
        .map((file) => readFileSync(join(outdir, file), 'utf8'))
        .join('\n');
      expect(everything).toContain(SECRET_ARNS.jwt); // the assembly really was read
      expect(everything).not.toContain(CANARY);
      expect(JSON.stringify(template.toJSON())).not.toContain(CANARY);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it.each(['JWT_SECRET', 'FETCHER_TOKEN'])('refuses %s as a function variable, without repeating the value', (name) => {
    let message = '';
    try {
      synthApp({
        jwt: { secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' },
        functionEnvironment: { [name]: CANARY },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`functionEnvironment.${name}: would put a secret in the template`);
    expect(message).not.toContain(CANARY);
  });
});
