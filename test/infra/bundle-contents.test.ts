import { isBuiltin } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS, type LambdaFunction, type SectionName } from '../../functions/lambda-functions.ts';
import { bundleFunction } from '../support/esbuild-bundle.ts';

const reads = (section: SectionName) => (fn: LambdaFunction) => fn.sections.includes(section);

/** Modules a function carries exactly when it needs them. */
const CARRIED_BY: Record<string, (fn: LambdaFunction) => boolean> = {
  'functions/adapters/fetcher/': reads('fetcher'),
  'functions/discovery/provision-connection.ts': (fn) => fn.name === 'create-connection',
  'functions/discovery/sync-tenant.ts': reads('sync'),
  'node_modules/@aws-lambda-powertools/idempotency/': reads('idempotency'),
  'functions/adapters/dynamodb/idempotency-persistence.ts': reads('idempotency'),
  'functions/http/idempotency.ts': reads('idempotency'),
  'node_modules/@aws-lambda-powertools/batch/': (fn) => fn.trigger === 'queue',
  'functions/composition/http-route.ts': (fn) => fn.trigger === 'http',
  'node_modules/jose/': (fn) => fn.trigger === 'http',
  // The API document's generator lives beside the schemas it reads, and no function carries it.
  'functions/openapi/': () => false,
  'node_modules/zod-openapi/': () => false,
};

/**
 * Each function's bundle carries only what it uses: esbuild's metafile lists every module that went
 * in, so a read route that pulls in the Fetcher client or Powertools idempotency fails here.
 */
describe.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))('the %s bundle', (_name, fn) => {
  it('holds the modules of the sections it reads and of no others', async () => {
    const { metafile } = await bundleFunction(fn);
    const inputs = Object.keys(metafile.inputs);
    for (const [prefix, needs] of Object.entries(CARRIED_BY)) {
      const carried = inputs.some((input) => input.startsWith(prefix));
      expect(carried, `${prefix} in ${fn.name}`).toBe(needs(fn));
    }
  });

  it('bundles the AWS SDK, and reaches the Secrets Manager client only through a dynamic import', async () => {
    const { metafile } = await bundleFunction(fn);
    // Nothing is left to the runtime but Node's own modules.
    const external = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external));
    expect(external.filter((entry) => !isBuiltin(entry.path)).map((entry) => entry.path)).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.startsWith('node_modules/@aws-sdk/client-dynamodb/'))).toBe(fn.sections.includes('cache'));
    // esbuild evaluates a module reached only by import() when that import runs: without a secret ARN, never.
    const toSecrets = Object.values(metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((entry) => entry.original === '@aws-sdk/client-secrets-manager');
    expect(toSecrets.length).toBeGreaterThan(0);
    expect(toSecrets.every((entry) => entry.kind === 'dynamic-import')).toBe(true);
  });
});
