import { describe, expect, it } from 'vitest';
import { resolveDiscoverySettings } from '../../infra/discovery-settings.ts';
import { SECRET_ARNS, synthApp } from '../support/cdk-app.ts';

const minimal = {
  fetcherUrl: 'https://fetcher.example.com',
  jwt: { jwksUrl: 'https://issuer.example.com/jwks.json', issuer: 'https://issuer.example.com', audience: 'matcher' },
};

describe('deployment settings', () => {
  it('applies the documented defaults', () => {
    expect(resolveDiscoverySettings(minimal)).toMatchObject({
      multiTenant: false,
      fetcherSharedIdentity: false,
      allowedHostCidrs: [],
      alarms: { latencyP99Ms: 5_000, serverErrorRatePercent: 5, fetcherErrors: 5 },
      logRetentionDays: 90,
      removalPolicy: 'retain',
      memorySize: 512,
      corsOrigins: [],
      throttle: { rateLimit: 50, burstLimit: 100 },
      tracing: true,
      metricsNamespace: 'MatcherDiscovery',
      logLevel: 'INFO',
      functionEnvironment: {},
    });
  });

  it('reads values given on the command line as strings (-c key=value)', () => {
    const settings = resolveDiscoverySettings({
      fetcherUrl: 'https://fetcher.example.com',
      jwt: JSON.stringify({ secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' }),
      multiTenant: 'true',
      fetcherSharedIdentity: 'true',
      reservedConcurrency: '10',
      allowedHostCidrs: '10.0.0.0/8, 192.168.0.0/16',
      corsOrigins: '["https://app.example.com"]',
      vpc: '{"vpcId":"vpc-0123456789abcdef0","subnetIds":["subnet-0123456789abcdef0"]}',
    });
    expect(settings).toMatchObject({
      jwt: { secretArn: SECRET_ARNS.jwt },
      multiTenant: true,
      fetcherSharedIdentity: true,
      reservedConcurrency: 10,
      allowedHostCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
      corsOrigins: ['https://app.example.com'],
      vpc: { vpcId: 'vpc-0123456789abcdef0' },
    });
  });

  it.each([
    [{ fetcherUrl: undefined }, 'fetcherUrl: must be an https URL'],
    [{ fetcherUrl: 'http://fetcher.example.com' }, 'fetcherUrl: must be an https URL'],
    [{ jwt: {} }, 'jwt: set exactly one of jwt.jwksUrl or jwt.secretArn'],
    [
      { jwt: { jwksUrl: 'https://issuer.example.com/jwks.json', secretArn: SECRET_ARNS.jwt } },
      'jwt: set exactly one of jwt.jwksUrl or jwt.secretArn',
    ],
    [
      { jwt: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/jwt' } },
      'jwt.secretArn: must be the complete ARN of a Secrets Manager secret',
    ],
    [{ jwt: { jwksUrl: 'https://issuer.example.com/jwks.json', issuerr: 'x' } }, 'jwt.issuerr: unknown setting'],
    [{ fetcherAuth: { tokenSecretArn: 'fetcher-token' } }, 'fetcherAuth.tokenSecretArn: must be the complete ARN'],
    [{ allowedHostCidrs: ['10.0.0.0/8', '10.0.0.0/33'] }, 'allowedHostCidrs.1: must be a CIDR block'],
    [{ vpc: { vpcId: 'vpc-1', subnetIds: [] } }, 'vpc.vpcId: must be an id like vpc-0123456789abcdef0'],
    [{ vpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: [] } }, 'vpc.subnetIds'],
    [
      { alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms', email: 'oncall@example.com' } },
      'alarms: set alarms.topicArn or alarms.email, not both',
    ],
    [{ alarms: { email: 'on call' } }, 'alarms.email: must be an e-mail address'],
    [{ logRetentionDays: 45 }, 'logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90'],
    [{ removalPolicy: 'snapshot' }, 'removalPolicy'],
    [{ reservedConcurrency: 0 }, 'reservedConcurrency'],
    [{ corsOrigins: ['https://app.example.com/path'] }, 'corsOrigins.0: must be an origin'],
    [{ functionEnvironment: { 'fetcher-timeout': '1' } }, 'functionEnvironment.fetcher-timeout'],
    [{ fetcherUrll: 'https://typo.example.com' }, 'fetcherUrll: unknown setting'],
  ])('fails with a message naming the key for %j', (override, message) => {
    expect(() => resolveDiscoverySettings({ ...minimal, ...override })).toThrow(message);
  });

  it('names every bad key at once', () => {
    expect(() => resolveDiscoverySettings({ ...minimal, fetcherUrl: 'ftp://x', logRetentionDays: 2 })).toThrow(
      /fetcherUrl: .*; logRetentionDays: /,
    );
  });

  it('checks the function environment with the function’s own parser, at synth', () => {
    expect(() => synthApp({ functionEnvironment: { FETCHER_TIMEOUT_MS: 'soon' } })).toThrow(
      'functionEnvironment: Invalid configuration: FETCHER_TIMEOUT_MS',
    );
    expect(() => synthApp({ functionEnvironment: { TABLE_NAME: 'other' } })).toThrow(
      'functionEnvironment.TABLE_NAME: set by the stack, not here',
    );
    expect(() => synthApp({ functionEnvironment: { POWERTOOLS_LOGGER_LOG_EVENT: 'true' } })).toThrow(
      'functionEnvironment.POWERTOOLS_LOGGER_LOG_EVENT: events carry the password',
    );
    const { template } = synthApp({ functionEnvironment: { FETCHER_TIMEOUT_MS: '5000', HOST_DNS_CHECK: 'true' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { FETCHER_TIMEOUT_MS: '5000', HOST_DNS_CHECK: 'true' } },
    });
  });
});
