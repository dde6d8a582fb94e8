import { describe, expect, it } from 'vitest';
import { resolveDiscoverySettings } from '../../infra/discovery-settings.ts';
import { synthApp } from '../support/cdk-app.ts';

const integrationTargetOf = (template: ReturnType<typeof synthApp>['template'], routeKey: string) => {
  const [route] = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } })) as any[];
  const target = String(route.Properties.Target['Fn::Join'][1][1].Ref);
  return template.findResources('AWS::ApiGatewayV2::Integration')[target]!.Properties.IntegrationUri;
};

describe('createProvisionedConcurrency', () => {
  it('keeps that many create environments initialised behind a live alias, which the API calls', () => {
    const { template } = synthApp({ createProvisionedConcurrency: 2 });
    const aliases = template.findResources('AWS::Lambda::Alias');
    expect(Object.values(aliases)).toHaveLength(1);
    const [[aliasId, alias]] = Object.entries(aliases) as [[string, any]];
    expect(alias.Properties).toMatchObject({ Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    expect(String(alias.Properties.FunctionName.Ref)).toMatch(/^Discoverycreateconnection/);
    expect(integrationTargetOf(template, 'POST /v1/discovery/connections')).toEqual({ Ref: aliasId });
    // The other routes still call their functions.
    expect(JSON.stringify(integrationTargetOf(template, 'GET /v1/discovery/connections'))).not.toContain(aliasId);
  });

  it('is off by default: no alias, nothing billed by the hour', () => {
    const { template } = synthApp({ createProvisionedConcurrency: undefined });
    expect(template.findResources('AWS::Lambda::Alias')).toEqual({});
    expect(integrationTargetOf(template, 'POST /v1/discovery/connections')).toHaveProperty('Fn::GetAtt');
  });

  it('is refused above the reserved concurrency, which Lambda would refuse half way through a deployment', () => {
    const settings = {
      fetcherUrl: 'https://fetcher.internal.acme.io',
      jwt: { jwksUrl: 'https://auth.acme.io/.well-known/jwks.json', issuer: 'https://auth.acme.io', audience: 'matcher' },
      createProvisionedConcurrency: 5,
      reservedConcurrency: 4,
    };
    expect(() => resolveDiscoverySettings(settings)).toThrow(
      'createProvisionedConcurrency: 5 is more than reservedConcurrency (4) lets the function run',
    );
  });
});
