import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/route-function.ts';
import { createConnectionEvent } from '../support/lambda.ts';
import { synthApp } from '../support/cdk-app.ts';

// Raise these on purpose, with the cold-start cost in the commit message: a bundle that grows
// unnoticed is the first thing a Lambda user feels.
const MAX_BUNDLE_BYTES = 400_000;
const MAX_GZIP_BYTES = 120_000;

/**
 * The one test that bundles for real, with the same esbuild and options `cdk deploy` uses, and then
 * loads the bundle in a fresh Node 22 process with the environment from the template: a broken
 * import, a CommonJS `require` the ESM bundle cannot satisfy, or a bad variable fails here.
 */
describe('the function bundle', () => {
  // Inside the project, so the bundle's external @aws-sdk imports resolve as they do in the runtime.
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out.test-'));
  let bundle = '';
  let variables: Record<string, string> = {};

  beforeAll(() => {
    const { template } = synthApp({}, { bundle: true, outdir });
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: any }[];
    const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.') && existsSync(join(outdir, entry, 'index.mjs')));
    expect(assets).toHaveLength(1); // one function, one bundle
    bundle = join(outdir, assets[0]!, 'index.mjs');
    // Table names are references until deployed; any name will do to load the code. The secret the
    // stack generates is read from Secrets Manager at cold start: here its value is given directly.
    variables = Object.fromEntries(
      Object.entries(fn!.Properties.Environment.Variables as Record<string, unknown>).map(([name, value]) =>
        typeof value === 'string'
          ? [name, value]
          : name === 'IDEMPOTENCY_SECRET_ARN'
            ? ['IDEMPOTENCY_SECRET', 'i'.repeat(40)]
            : [name, `${name.toLowerCase()}-deployed`],
      ),
    );
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is a minified ESM file with a source map, within its size budget', () => {
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const code = readFileSync(bundle);
    expect(code.byteLength).toBeLessThan(MAX_BUNDLE_BYTES);
    expect(gzipSync(code).byteLength).toBeLessThan(MAX_GZIP_BYTES);
    expect(statSync(`${bundle}.map`).size).toBeLessThan(1_000_000); // no sources inside
    const text = code.toString('utf8');
    expect(text.split('\n').length).toBeLessThan(200); // minified
    // Booleans, so a failure prints a line rather than the whole bundle.
    expect(text.startsWith("import { createRequire } from 'node:module';"), 'createRequire banner').toBe(true);
  });

  it('leaves the AWS SDK to the runtime, and loads the Secrets Manager client only on demand', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(/from\s*"@aws-sdk\/client-dynamodb"/.test(text), 'DynamoDB client imported from the runtime').toBe(true);
    expect(/import\("@aws-sdk\/client-secrets-manager"\)/.test(text), 'Secrets Manager client imported on demand').toBe(true);
    expect(/from\s*"@aws-sdk\/client-secrets-manager"/.test(text), 'Secrets Manager client imported eagerly').toBe(false);
  });

  it('loads in a fresh Node 22 process with the template’s environment and answers a request', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(`file://${bundle}`)});
      const context = { functionName: 'create-connection', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 20000 };
      const result = await handler(${JSON.stringify(createConnectionEvent({ body: {} }))}, context);
      console.log('RESULT ' + JSON.stringify(result));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...variables },
      timeout: 30_000,
    });
    expect(process.version).toMatch(/^v22\./);
    const result = JSON.parse(
      stdout
        .split('\n')
        .find((line) => line.startsWith('RESULT '))!
        .slice('RESULT '.length),
    );
    // No token: authentication answers before any network call.
    expect(result).toMatchObject({ statusCode: 401, headers: { 'Content-Type': 'application/problem+json' } });
    expect(JSON.parse(result.body)).toMatchObject({ code: 'MTCH-0003' });
  });
});
