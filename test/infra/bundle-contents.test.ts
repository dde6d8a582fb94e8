import { describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS, type SectionName } from '../../functions/lambda-functions.ts';
import { bundleFunction } from '../support/esbuild-bundle.ts';

/** What a function may only carry when it reads the configuration section that needs it. */
const CARRIED_BY: Record<string, SectionName> = {
  'functions/adapters/fetcher/': 'fetcher',
  'functions/discovery/provision-connection.ts': 'fetcher',
  'node_modules/@aws-lambda-powertools/idempotency/': 'idempotency',
  'functions/adapters/dynamodb/idempotency-persistence.ts': 'idempotency',
  'functions/http/idempotency.ts': 'idempotency',
};

/**
 * Each function's bundle carries only what it uses: esbuild's metafile lists every module that went
 * in, so a read route that pulls in the Fetcher client or Powertools idempotency fails here.
 */
describe.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))('the %s bundle', (_name, fn) => {
  it('holds the modules of the sections it reads and of no others', async () => {
    const { metafile } = await bundleFunction(fn);
    const inputs = Object.keys(metafile.inputs);
    for (const [prefix, section] of Object.entries(CARRIED_BY)) {
      const carried = inputs.some((input) => input.startsWith(prefix));
      expect(carried, `${prefix} in ${fn.name}`).toBe(fn.sections.includes(section));
    }
  });

  it('imports the AWS SDK from the runtime, and the Secrets Manager client only on demand', async () => {
    const { metafile } = await bundleFunction(fn);
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    const secrets = imports.filter((entry) => entry.path === '@aws-sdk/client-secrets-manager');
    expect(secrets.every((entry) => entry.kind === 'dynamic-import')).toBe(true);
    expect(imports.some((entry) => entry.path === '@aws-sdk/client-dynamodb' && entry.external)).toBe(true);
  });
});
