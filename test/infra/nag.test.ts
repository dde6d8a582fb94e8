import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { contextSettings } from '../../infra/context-settings.ts';
import { DiscoveryService } from '../../infra/discovery-service.ts';
import { PROJECT_CONTEXT, SECRET_ARNS, VPC, synthApp, temporaryOutdir } from '../support/cdk-app.ts';

// Each tenant's Fetcher client credentials in its own secret, under this prefix.
const TENANT_CREDENTIALS = {
  multiTenant: true,
  fetcherAuth: { tokenUrl: 'https://auth.example.com/oauth2/token', tenantSecretPrefix: 'matcher-discovery/fetcher/' },
};

const findingsOf = (app: App) =>
  new AwsSolutionsChecks().validateScope(app).violations.map((violation) => `${violation.ruleName} (${violation.severity})`);

// The stack with every optional part switched on, so every conditional acknowledgement is exercised.
const EVERYTHING = {
  jwt: { secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' },
  fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken },
  vpc: VPC,
  alarms: { email: 'oncall@example.com' },
  corsOrigins: ['https://app.example.com'],
  reservedConcurrency: 10,
};

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the cdk.json deployment', {}],
    ['a deployment with every option on', EVERYTHING],
    ['a deployment without tracing', { tracing: false }],
    ['a multi-tenant deployment with per-tenant Fetcher credentials', TENANT_CREDENTIALS],
  ])('finds nothing unacknowledged, error or warning, in %s', (_, overrides) => {
    const { app, stack } = synthApp(overrides);
    expect(findingsOf(app)).toEqual([]);
    // CDK's own warnings and errors count too: `cdk synth` fails on them like on a finding.
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    // The plugin is registered on the app: synthesis itself fails on an unacknowledged finding.
    expect(() => app.synth()).not.toThrow();
  });

  it('has no acknowledgement that is not needed: without them, exactly these findings appear', () => {
    // The VPC warnings below are expected here: kept as annotations, not printed in a validation report.
    const context = { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:annotationsInValidationReport': false };
    const app = new App({ context, outdir: temporaryOutdir() });
    const stack = new Stack(app, 'Bare');
    new DiscoveryService(stack, 'Discovery', { ...contextSettings(app.node), ...EVERYTHING });
    expect(findingsOf(app).sort()).toEqual(
      [
        'AwsSolutions-APIG4 (error)',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole] (error)',
        'AwsSolutions-IAM5[Resource::*] (error)',
        'AwsSolutions-IAM5[Resource::<DiscoverysyncdispatcherFunction0A3F14C8.Arn>:*] (error)',
        'AwsSolutions-L1 (error)',
        'AwsSolutions-SMG4 (error)',
      ].sort(),
    );
    expect(
      Annotations.fromStack(stack)
        .findWarning('*', Match.anyValue())
        .map((w) => w.entry.data),
    ).toEqual([
      expect.stringContaining("'availabilityZones' is a list token"),
      expect.stringContaining('No routeTableId'),
      expect.stringContaining('No routeTableId'),
    ]);
  });

  it('acknowledges the tenant secrets wildcard on exactly the roles of the functions that call Fetcher', () => {
    const context = { ...PROJECT_CONTEXT, 'aws:cdk:bundling-stacks': [] };
    const app = new App({ context, outdir: temporaryOutdir() });
    const stack = new Stack(app, 'Bare');
    new DiscoveryService(stack, 'Discovery', { ...contextSettings(app.node), ...TENANT_CREDENTIALS });
    const wildcard =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:matcher-discovery/fetcher/*]';
    const violations = new AwsSolutionsChecks().validateScope(app).violations.filter((violation) => violation.ruleName === wildcard);
    expect(violations).toHaveLength(1);
    const functions = violations[0]!.violatingResources.map(
      (resource) => /^Bare\/Discovery\/([a-z-]+)\/Role\/DefaultPolicy\/Resource$/.exec(resource.constructPath ?? '')?.[1],
    );
    expect(functions.sort()).toEqual(
      LAMBDA_FUNCTIONS.filter((fn) => fn.sections.includes('fetcher'))
        .map((fn) => fn.name)
        .sort(),
    );
  });
});
