import { describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { DiscoverySettingsError, resolveDiscoverySettings } from '../../infra/discovery-settings.ts';
import { functionRoles, listOf, type FunctionRole } from '../iam/function-roles.ts';
import { SECRET_ARNS, synthApp } from '../support/cdk-app.ts';

/** Per-tenant Fetcher credentials: tenant T's client credentials in the secret named prefix + T. */
const PREFIX = 'matcher-discovery/fetcher/';
const TOKEN_URL = 'https://auth.example.com/oauth2/token';
const TENANT_CREDENTIALS = { multiTenant: true, fetcherAuth: { tokenUrl: TOKEN_URL, tenantSecretPrefix: PREFIX } };
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const minimal = {
  fetcherUrl: 'https://fetcher.example.com',
  jwt: { jwksUrl: 'https://issuer.example.com/jwks.json', issuer: 'https://issuer.example.com', audience: 'matcher' },
};

const CALLS_FETCHER = LAMBDA_FUNCTIONS.filter((fn) => fn.sections.includes('fetcher')).map((fn) => fn.name);
const statementsOf = (role: FunctionRole) => role.policies.flatMap(({ policy }) => listOf(policy.Statement));
const actionsOf = (role: FunctionRole, resource: string) =>
  statementsOf(role).flatMap((statement) => (listOf(statement.Resource).includes(resource) ? listOf(statement.Action) : []));
/** The problems a refused setting gets, one line each. */
const problemsOf = (settings: Record<string, unknown>): string[] => {
  try {
    resolveDiscoverySettings({ ...minimal, ...settings });
  } catch (error) {
    if (error instanceof DiscoverySettingsError) return error.problems;
    throw error;
  }
  return [];
};

const { stack, template } = synthApp({ ...TENANT_CREDENTIALS, secretsKmsKeyArn: KMS_KEY });
const { roles } = functionRoles(stack);
const roleOf = (name: string) => roles.find((role) => role.fn.name === name)!;
// The template as deployed in the tests' account and region (test/support/template-values.ts).
const TENANT_SECRETS = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${PREFIX}*`;

describe('per-tenant Fetcher credentials, deployed', () => {
  it('has the functions that call Fetcher read each tenant’s secret under the prefix, as this one statement', () => {
    expect(CALLS_FETCHER.sort()).toEqual(
      [
        'create-connection',
        'delete-connection',
        'discovery-status',
        'refresh-discovery',
        'sync-worker',
        'test-connection',
        'update-connection',
      ].sort(),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
    );
    // test-connection reads no other secret (its JWT keys come from a JWKS): the statement stands alone.
    const wildcard = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':secretsmanager:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:secret:${PREFIX}*`,
        ],
      ],
    };
    expect(statements).toContainEqual({ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: wildcard });
    const withWildcard = roles.filter((role) => statementsOf(role).some((s) => listOf(s.Resource).includes(TENANT_SECRETS)));
    expect(withWildcard.map((role) => role.fn.name).sort()).toEqual([...CALLS_FETCHER].sort());
    for (const name of CALLS_FETCHER) expect(actionsOf(roleOf(name), TENANT_SECRETS), name).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('widens nothing else: beside X-Ray and its own log streams, a role’s only wildcard is that prefix', () => {
    for (const role of roles) {
      const wildcards = statementsOf(role).flatMap((statement) =>
        listOf(statement.Resource)
          .filter((resource) => resource.includes('*') && !resource.startsWith('arn:aws:logs:'))
          .map((resource) => `${listOf(statement.Action).sort().join(',')} ${resource}`),
      );
      const expected = [
        ...(CALLS_FETCHER.includes(role.fn.name) ? [`secretsmanager:GetSecretValue ${TENANT_SECRETS}`] : []),
        'xray:PutTelemetryRecords,xray:PutTraceSegments *',
      ];
      expect(wildcards.sort(), role.fn.name).toEqual(expected.sort());
    }
  });

  it('grants exactly what one shared client secret would, with the prefix in place of that secret', () => {
    const shared = functionRoles(
      synthApp({
        multiTenant: true,
        fetcherSharedIdentity: true,
        fetcherAuth: { tokenUrl: TOKEN_URL, clientSecretArn: SECRET_ARNS.fetcherToken },
        secretsKmsKeyArn: KMS_KEY,
      }).stack,
    ).roles;
    const grantsOf = (role: FunctionRole, secretArn: string) =>
      statementsOf(role)
        .flatMap((statement) =>
          listOf(statement.Action).flatMap((action) =>
            listOf(statement.Resource).map((resource) => `${action} ${resource === secretArn ? '<Fetcher credentials>' : resource}`),
          ),
        )
        .sort();
    for (const role of roles) {
      const other = shared.find((candidate) => candidate.fn.name === role.fn.name)!;
      expect(grantsOf(role, TENANT_SECRETS), role.fn.name).toEqual(grantsOf(other, SECRET_ARNS.fetcherToken));
    }
  });

  it('lets them decrypt with the secrets’ customer key through Secrets Manager only, and no function that reads no secret', () => {
    const decrypts = (role: FunctionRole) => statementsOf(role).filter((s) => listOf(s.Action).includes('kms:Decrypt'));
    expect(decrypts(roleOf('test-connection'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KMS_KEY,
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
    // get-connection reads no secret at all here: JWKS keys, no cursor, no Fetcher.
    expect(decrypts(roleOf('get-connection'))).toEqual([]);
  });

  it('sets the Fetcher variables of per-tenant credentials on the functions that call Fetcher, and on no other', () => {
    for (const role of roles) {
      const fetcherVariables = Object.fromEntries(Object.entries(role.environment).filter(([name]) => name.startsWith('FETCHER_')));
      if (!CALLS_FETCHER.includes(role.fn.name)) {
        expect(fetcherVariables, role.fn.name).toEqual({});
        continue;
      }
      expect(fetcherVariables, role.fn.name).toEqual({
        FETCHER_URL: 'https://fetcher.example.com',
        FETCHER_AUTH: 'client_credentials',
        FETCHER_TOKEN_URL: TOKEN_URL,
        FETCHER_TENANT_SECRET_PREFIX: PREFIX,
        FETCHER_SHARED_IDENTITY: 'false',
      });
      expect(role.environment.MULTI_TENANT).toBe('true');
    }
  });
});

describe('per-tenant Fetcher credentials, refused settings', () => {
  const ONE_IDENTITY =
    'sends every tenant to Fetcher as one identity: set fetcherAuth {tokenUrl, tenantSecretPrefix} for per-tenant credentials, ' +
    'or fetcherSharedIdentity: true if the Fetcher behind it is single-tenant on purpose';

  it.each([
    ['a bearer token', { fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken } }, 'fetcherAuth.tokenSecretArn'],
    [
      'one client secret',
      { fetcherAuth: { tokenUrl: TOKEN_URL, clientSecretArn: SECRET_ARNS.fetcherToken } },
      'fetcherAuth.clientSecretArn',
    ],
    ['no credentials', {}, 'no fetcherAuth'],
  ])('refuses multiTenant with %s, in one line naming the keys', (_, settings, identity) => {
    expect(problemsOf({ multiTenant: true, ...settings })).toEqual([`multiTenant: true with ${identity} ${ONE_IDENTITY}`]);
  });

  it('refuses it at synth, and deploys it with fetcherSharedIdentity, which the functions are told', () => {
    expect(() => synthApp({ multiTenant: true, fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken } })).toThrow(
      `Invalid matcher-discovery settings: multiTenant: true with fetcherAuth.tokenSecretArn ${ONE_IDENTITY}`,
    );
    const shared = synthApp({ multiTenant: true, fetcherSharedIdentity: true, fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken } });
    const sharedRoles = functionRoles(shared.stack).roles;
    expect(sharedRoles.find((role) => role.fn.name === 'sync-worker')!.environment).toMatchObject({
      MULTI_TENANT: 'true',
      FETCHER_SHARED_IDENTITY: 'true',
      FETCHER_AUTH: 'bearer',
    });
    // No per-tenant grant without the prefix: the exact token ARN only.
    for (const role of sharedRoles) {
      const secrets = statementsOf(role).filter((s) => listOf(s.Action).includes('secretsmanager:GetSecretValue'));
      for (const resource of secrets.flatMap((s) => listOf(s.Resource))) expect(resource, role.fn.name).not.toContain('*');
    }
  });

  it.each([
    ['matcher-discovery/*', 'fetcherAuth.tenantSecretPrefix: must not hold a wildcard (* or ?)'],
    ['matcher-discovery/fetcher?', 'fetcherAuth.tenantSecretPrefix: must not hold a wildcard (* or ?)'],
    ['matcher-discovery/fetcher', 'fetcherAuth.tenantSecretPrefix: must name something and end in /, - or _'],
    ['matcher-discovery/fetcher.', 'fetcherAuth.tenantSecretPrefix: must name something and end in /, - or _'],
    ['/', 'fetcherAuth.tenantSecretPrefix: must be 2 to 200 characters of a Secrets Manager name'],
    ['--', 'fetcherAuth.tenantSecretPrefix: must name something and end in /, - or _'],
    ['matcher discovery/', 'fetcherAuth.tenantSecretPrefix: must be 2 to 200 characters of a Secrets Manager name'],
    [`${'a'.repeat(200)}/`, 'fetcherAuth.tenantSecretPrefix: must be 2 to 200 characters of a Secrets Manager name'],
  ])('refuses the prefix %j, naming the key', (prefix, message) => {
    const problems = problemsOf({ multiTenant: true, fetcherAuth: { tokenUrl: TOKEN_URL, tenantSecretPrefix: prefix } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it.each([
    [{ fetcherAuth: { tokenUrl: TOKEN_URL, tenantSecretPrefix: PREFIX } }, 'fetcherAuth.tenantSecretPrefix: needs multiTenant: true'],
    [
      { ...TENANT_CREDENTIALS, fetcherSharedIdentity: true },
      'fetcherSharedIdentity: true contradicts fetcherAuth.tenantSecretPrefix, which gives each tenant its own identity',
    ],
    [
      { multiTenant: true, fetcherAuth: { tenantSecretPrefix: PREFIX } },
      'fetcherAuth: must be {tokenSecretArn}, {tokenUrl, clientSecretArn, clientId?} or {tokenUrl, tenantSecretPrefix}',
    ],
  ])('refuses %j', (settings, message) => {
    const problems = problemsOf(settings);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('accepts the prefix given on the command line as JSON, and the shared identity as a string', () => {
    expect(
      resolveDiscoverySettings({
        ...minimal,
        multiTenant: 'true',
        fetcherAuth: JSON.stringify({ tokenUrl: TOKEN_URL, tenantSecretPrefix: 'tenants_fetcher-' }),
      }),
    ).toMatchObject({ multiTenant: true, fetcherSharedIdentity: false, fetcherAuth: { tenantSecretPrefix: 'tenants_fetcher-' } });
    expect(resolveDiscoverySettings({ ...minimal, multiTenant: true, fetcherSharedIdentity: 'true' }).fetcherSharedIdentity).toBe(true);
  });

  it.each([
    ['FETCHER_TENANT_SECRET_PREFIX', 'other/', 'fetcherAuth.tenantSecretPrefix'],
    ['FETCHER_SHARED_IDENTITY', 'true', null],
  ])('keeps %s out of functionEnvironment, where it would bypass the grant or the check', (name, value, setting) => {
    expect(() => synthApp({ functionEnvironment: { [name]: value } })).toThrow(
      setting
        ? `functionEnvironment.${name}: set by the stack from ${setting}, not here`
        : `functionEnvironment.${name}: set by the stack, not here`,
    );
  });
});
