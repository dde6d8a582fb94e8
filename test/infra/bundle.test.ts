import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS, lambdaFunction } from '../../functions/lambda-functions.ts';
import { ROUTES } from '../../functions/routes.ts';
import { PROJECT_ROOT } from '../../infra/discovery-function.ts';
import { createConnectionEvent } from '../support/route-event.ts';
import { synthApp } from '../support/cdk-app.ts';
import { bundleFunction } from '../support/esbuild-bundle.ts';

/**
 * The one test that bundles for real, with the same esbuild and options `cdk deploy` uses, and then
 * loads the bundle in a fresh Node 22 process with the environment from the template: a broken
 * import, a CommonJS `require` the ESM bundle cannot satisfy, or a bad variable fails here.
 */
describe('the function bundles', () => {
  // Inside the project, so the bundles' external @aws-sdk imports resolve as they do in the runtime.
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out.test-'));
  const bundles = new Map<string, { file: string; variables: Record<string, string> }>();

  beforeAll(() => {
    const { template } = synthApp({}, { bundle: true, outdir });
    for (const [logicalId, fn] of Object.entries(template.findResources('AWS::Lambda::Function')) as [string, { Properties: any }][]) {
      const name = LAMBDA_FUNCTIONS.find((candidate) =>
        logicalId.startsWith(`Discovery${candidate.name.replaceAll('-', '')}Function`),
      )!.name;
      const asset = `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
      // Table names are references until deployed; any name will do to load the code. The secret the
      // stack generates is read from Secrets Manager at cold start: here its value is given directly.
      const variables = Object.fromEntries(
        Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([variable, value]) =>
          typeof value === 'string'
            ? [variable, value]
            : variable.endsWith('_SECRET_ARN')
              ? [variable.replace(/_ARN$/, ''), 'i'.repeat(40)]
              : variable.endsWith('_URL')
                ? [variable, 'https://sqs.eu-west-1.amazonaws.com/123456789012/deployed']
                : [variable, `${variable.toLowerCase()}-deployed`],
        ),
      );
      bundles.set(name, { file: join(outdir, asset, 'index.mjs'), variables });
    }
    expect([...bundles.keys()].sort()).toEqual(LAMBDA_FUNCTIONS.map((fn) => fn.name).sort()); // one bundle per function
  }, 180_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Sizes are held to their budgets by bundle-budget.test.ts, which builds in memory: here, that build is the asset's.
  it.each(LAMBDA_FUNCTIONS.map((fn) => fn.name))(
    '%s is a minified ESM file with a source map, the same the budget test builds',
    async (name) => {
      const { file } = bundles.get(name)!;
      expect(existsSync(`${file}.map`)).toBe(true);
      const code = readFileSync(file);
      expect(Buffer.from((await bundleFunction(lambdaFunction(name))).code).equals(code), 'the in-memory build is the asset').toBe(true);
      expect(statSync(`${file}.map`).size).toBeLessThan(3_000_000); // no sources inside
      const text = code.toString('utf8');
      expect(text.split('\n').length).toBeLessThan(200); // minified
      // Booleans, so a failure prints a line rather than the whole bundle.
      expect(text.startsWith("import { createRequire } from 'node:module';"), 'createRequire banner').toBe(true);
    },
  );

  it.each(LAMBDA_FUNCTIONS.map((fn) => fn.name))('%s carries the AWS SDK, and imports none of it from the runtime', (name) => {
    const text = readFileSync(bundles.get(name)!.file, 'utf8');
    expect(/(from\s*|import\(\s*)"@aws-sdk\//.test(text), 'an @aws-sdk import left to the runtime').toBe(false);
    expect(text.includes('DynamoDB_20120810'), 'the DynamoDB client inside').toBe(true);
  });

  it.each(ROUTES.map((route) => route.name))(
    '%s loads in a fresh Node 22 process with the template’s environment and answers',
    async (name) => {
      const { file, variables } = bundles.get(name)!;
      const route = ROUTES.find((candidate) => candidate.name === name)!;
      const event = { ...createConnectionEvent({ body: {} }), routeKey: route.routeKey };
      const script = `
      const { handler } = await import(${JSON.stringify(`file://${file}`)});
      const context = { functionName: ${JSON.stringify(name)}, awsRequestId: 'r-1', getRemainingTimeInMillis: () => 20000 };
      const result = await handler(${JSON.stringify(event)}, context);
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
    },
  );
});
