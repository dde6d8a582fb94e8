import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.ts';
import { PROJECT_ROOT } from '../../infra/discovery-function.ts';
import { OPENAPI_FUNCTION } from '../../infra/openapi-route.ts';
import { synthApp } from '../support/cdk-app.ts';
import { bundleFunction } from '../support/esbuild-bundle.ts';
import { API_DOCUMENT_FILE } from '../tools/api-document-file.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
const routeKeys = (template: ReturnType<typeof synthApp>['template']) =>
  Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources).map((route) => route.Properties.RouteKey as string);

// A synth takes seconds on a loaded machine: each gets a minute.
const SYNTH_MS = 60_000;

describe('publishOpenApi', () => {
  let byDefault: ReturnType<typeof synthApp>;
  beforeAll(() => {
    byDefault = synthApp();
  }, SYNTH_MS);

  it('is off by default: no /openapi.json route, no function for it', () => {
    const { template } = byDefault;
    expect(routeKeys(template).sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(functions.some((id) => id.startsWith('Discoveryopenapidocument'))).toBe(false);
  });

  it.each([true, 'true'])(
    '= %s adds GET /openapi.json, unauthenticated, on a function that may only write its logs',
    (setting) => {
      const { app, stack, template } = synthApp({ publishOpenApi: setting });
      expect(routeKeys(template)).toContain('GET /openapi.json');
      const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route') as Resources).find(
        (r) => r.Properties.RouteKey === 'GET /openapi.json',
      )!;
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      const [id, fn] = Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([logicalId]) =>
        logicalId.startsWith('DiscoveryopenapidocumentFunction'),
      )!;
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 128 });
      expect(fn.Properties.Environment).toBeUndefined();
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((policy) =>
        JSON.stringify(policy.Properties.Roles).includes('DiscoveryopenapidocumentRole'),
      );
      const actions = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
      expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(id).toBeDefined();
      // cdk-nag finds nothing new, and CDK warns of nothing.
      expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    },
    SYNTH_MS,
  );

  it(
    'bundles the committed document and nothing of the generator, and answers it',
    async () => {
      const { code, metafile } = await bundleFunction(OPENAPI_FUNCTION);
      const inputs = Object.keys(metafile.inputs);
      expect(inputs).toContain('functions/openapi-document/matcher-discovery.json');
      expect(inputs.filter((input) => input.startsWith('functions/openapi/') || input.includes('node_modules/zod'))).toEqual([]);
      const dir = await mkdtemp(join(PROJECT_ROOT, 'cdk.out.openapi-'));
      try {
        const file = join(dir, 'index.mjs');
        // Without the map beside it: the bundle's source map comment is dropped.
        await writeFile(
          file,
          Buffer.from(code)
            .toString('utf8')
            .replace(/\/\/# sourceMappingURL=.*$/m, ''),
        );
        const { handler } = (await import(pathToFileURL(file).href)) as {
          handler: () => Promise<{ statusCode: number; headers: any; body: string }>;
        };
        const answer = await handler();
        expect(answer.statusCode).toBe(200);
        expect(answer.headers['Content-Type']).toBe('application/json');
        expect(JSON.parse(answer.body)).toEqual(JSON.parse(readFileSync(API_DOCUMENT_FILE, 'utf8')));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SYNTH_MS,
  );
});
