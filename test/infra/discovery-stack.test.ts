import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.ts';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { PROJECT_CONTEXT, SECRET_ARNS, VPC, synthApp } from '../support/cdk-app.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
const resourcesOf = (template: ReturnType<typeof synthApp>['template'], type: string): Resources =>
  template.findResources(type) as Resources;
const only = <T>(values: Record<string, T>): T => {
  const all = Object.values(values);
  expect(all).toHaveLength(1);
  return all[0]!;
};
const statementsOf = (template: ReturnType<typeof synthApp>['template']) =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[],
  );
const actionsOf = (statement: { Action: string | string[] }) => [statement.Action].flat();
/** The resource of one function of functions/lambda-functions.ts (logical ids drop the dashes of its name). */
const functionNamed = (template: ReturnType<typeof synthApp>['template'], name: string) => {
  const stem = `Discovery${name.replaceAll('-', '')}Function`;
  const [found] = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(([id]) => id.startsWith(stem));
  expect(found, name).toBeDefined();
  return found![1];
};
const refersTo = (resource: unknown, logicalId: string) => JSON.stringify(resource).includes(`"${logicalId}"`);

const { template } = synthApp();
const tables = resourcesOf(template, 'AWS::DynamoDB::GlobalTable');
const tableId = (definition: typeof CACHE_TABLE) =>
  Object.entries(tables).find(([, table]) => JSON.stringify(table.Properties.KeySchema) === JSON.stringify(keySchema(definition)))![0];
const keySchema = (definition: typeof CACHE_TABLE) => [
  { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
  ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
];

describe('the HTTP API', () => {
  it('has one route per entry of functions/routes.ts, on payload 2.0 and below the 30 s ceiling', () => {
    const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routes.sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
    expect(routes).toContain('POST /v1/discovery/connections');
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 29_000,
    });
  });

  it('serves the $default stage with throttling and JSON access logs that never log bodies or headers', () => {
    const stage = only(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = stage.Properties.AccessLogSettings.Format as string;
    expect(JSON.parse(format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    });
    expect(format).not.toMatch(/body|header|authorization|querystring/i);
    expect(JSON.stringify(stage.Properties.AccessLogSettings.DestinationArn)).toContain('AccessLogs');
  });

  it('has CORS off unless origins are configured', () => {
    expect(only(resourcesOf(template, 'AWS::ApiGatewayV2::Api')).Properties.CorsConfiguration).toBeUndefined();
    const { template: withCors } = synthApp({ corsOrigins: ['https://app.example.com'] });
    expect(only(resourcesOf(withCors, 'AWS::ApiGatewayV2::Api')).Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://app.example.com'],
      AllowMethods: [...new Set(ROUTES.map((route) => route.method))],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
    });
  });
});

describe('the functions', () => {
  const fn = functionNamed(template, 'create-connection');

  it('run Node 22 on arm64, as an ESM bundle with source maps, timing out before the integration', () => {
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 25,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
    });
    expect(fn.Properties.Timeout * 1000).toBeLessThan(29_000);
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('are configured from the settings, with the table names and no secret value', () => {
    const variables = fn.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      FETCHER_URL: PROJECT_CONTEXT.fetcherUrl,
      FETCHER_AUTH: 'none',
      JWT_JWKS_URL: (PROJECT_CONTEXT.jwt as { jwksUrl: string }).jwksUrl,
      MULTI_TENANT: 'false',
      TABLE_NAME: { Ref: tableId(CACHE_TABLE) },
      IDEMPOTENCY_TABLE_NAME: { Ref: tableId(IDEMPOTENCY_TABLE) },
      POWERTOOLS_SERVICE_NAME: 'matcher-discovery',
      POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
    });
    expect(Object.keys(variables)).not.toContain('JWT_SECRET');
    expect(Object.keys(variables)).not.toContain('FETCHER_TOKEN');
  });

  it('log to their own log group, kept for the configured retention', () => {
    const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(new Set(Object.values(logGroups).map((group) => group.Properties.RetentionInDays))).toEqual(new Set([90]));
    expect(Object.keys(logGroups)).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
    const { template: shortLived } = synthApp({ logRetentionDays: 14 });
    expect(new Set(Object.values(resourcesOf(shortLived, 'AWS::Logs::LogGroup')).map((group) => group.Properties.RetentionInDays))).toEqual(
      new Set([14]),
    );
  });

  it('take the reserved concurrency, memory and tracing settings', () => {
    const { template: tuned } = synthApp({ reservedConcurrency: 20, memorySize: 1024, tracing: false });
    const tunedFn = functionNamed(tuned, 'create-connection');
    expect(tunedFn.Properties).toMatchObject({ ReservedConcurrentExecutions: 20, MemorySize: 1024 });
    expect(tunedFn.Properties.TracingConfig).toBeUndefined();
    expect(tunedFn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(
      statementsOf(tuned)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('xray:')),
    ).toEqual([]);
  });

  it('go into the given VPC subnets when Fetcher is private', () => {
    const { template: private_ } = synthApp({ vpc: { ...VPC, securityGroupIds: ['sg-0123456789abcdef0'] } });
    expect(functionNamed(private_, 'create-connection').Properties.VpcConfig).toEqual({
      SubnetIds: VPC.subnetIds,
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    private_.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    const functionRoles = Object.values(resourcesOf(private_, 'AWS::IAM::Role')).filter((role) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    expect(functionRoles).toHaveLength(LAMBDA_FUNCTIONS.length);
    for (const role of functionRoles) {
      expect(role.Properties.ManagedPolicyArns).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] },
      ]);
    }
    const { template: ownGroup } = synthApp({ vpc: VPC });
    expect(only(resourcesOf(ownGroup, 'AWS::EC2::SecurityGroup')).Properties).toMatchObject({ VpcId: VPC.vpcId });
    expect(only(resourcesOf(ownGroup, 'AWS::EC2::SecurityGroup')).Properties.SecurityGroupIngress).toBeUndefined();
  });
});

describe('IAM', () => {
  it('grants only the table actions the code uses, on each table alone, and no wildcard action anywhere', () => {
    const statements = statementsOf(template);
    for (const action of statements.flatMap(actionsOf)) expect(action).not.toContain('*');
    const onTable = (id: string) => statements.filter((s) => refersTo(s.Resource, id));
    const granted = (id: string) => [...new Set(onTable(id).flatMap(actionsOf))].sort();
    const listed = (table: 'cache' | 'idempotency') =>
      [...new Set(LAMBDA_FUNCTIONS.flatMap((fn) => fn.tables[table] ?? []).map((action) => `dynamodb:${action}`))].sort();
    expect(granted(tableId(CACHE_TABLE))).toEqual(listed('cache'));
    expect(granted(tableId(IDEMPOTENCY_TABLE))).toEqual(listed('idempotency'));
    for (const statement of [...onTable(tableId(CACHE_TABLE)), ...onTable(tableId(IDEMPOTENCY_TABLE))]) {
      expect(JSON.stringify(statement.Resource)).not.toContain('*');
    }
  });

  it('uses "*" as a resource only for X-Ray, which has no resource-level permissions', () => {
    const wildcard = statementsOf(template).filter((s) => JSON.stringify(s.Resource).includes('"*"'));
    expect([...new Set(wildcard.flatMap(actionsOf))].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('gives the role no managed policy outside a VPC', () => {
    for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets the function read exactly the configured secrets, and decrypt them only through Secrets Manager', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template: hmac } = synthApp({
      jwt: { secretArn: SECRET_ARNS.jwt, issuer: 'https://issuer.example.com', audience: 'matcher' },
      fetcherAuth: { tokenSecretArn: SECRET_ARNS.fetcherToken },
      secretsKmsKeyArn: kmsKeyArn,
    });
    const statements = statementsOf(hmac);
    const idempotencySecret = { Ref: Object.keys(resourcesOf(hmac, 'AWS::SecretsManager::Secret'))[0] };
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))).toContainEqual({
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: expect.arrayContaining([SECRET_ARNS.jwt, SECRET_ARNS.fetcherToken, idempotencySecret]),
    });
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))).toContainEqual({
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: SECRET_ARNS.jwt,
    });
    expect(statements.find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))!.Resource).toHaveLength(3);
    // A read route reads only the JWT secret: it has no Fetcher and no idempotency record.
    const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const statement of kms) {
      expect(statement).toEqual(
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Resource: kmsKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
        }),
      );
    }
    expect(functionNamed(hmac, 'create-connection').Properties.Environment.Variables).toMatchObject({
      JWT_SECRET_ARN: SECRET_ARNS.jwt,
      FETCHER_AUTH: 'bearer',
      FETCHER_TOKEN_SECRET_ARN: SECRET_ARNS.fetcherToken,
    });
    // Without configured secrets, functions read only the HMAC secrets the stack generated, and never decrypt.
    expect([
      ...new Set(
        statementsOf(template)
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:')),
      ),
    ]).toEqual(['secretsmanager:GetSecretValue']);
  });

  it.each([
    ['idempotency', 'IdempotencySecret', 'idempotencySecretArn', 'IDEMPOTENCY_SECRET_ARN', 'create-connection'],
    ['list cursor', 'CursorSecret', 'cursorSecretArn', 'CURSOR_SECRET_ARN', 'list-connections'],
  ])('generates the %s HMAC secret, or uses the one given', (_, id, setting, variable, fn) => {
    const secrets = Object.entries(resourcesOf(template, 'AWS::SecretsManager::Secret'));
    const [secretId, generated] = secrets.find(([logicalId]) => logicalId.startsWith(`Discovery${id}`))!;
    expect(generated.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(functionNamed(template, fn).Properties.Environment.Variables[variable]).toEqual({ Ref: secretId });

    const given = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/hmac-AbCdEf';
    const { template: own } = synthApp({ [setting]: given });
    expect(Object.keys(resourcesOf(own, 'AWS::SecretsManager::Secret')).some((logicalId) => logicalId.startsWith(`Discovery${id}`))).toBe(
      false,
    );
    expect(functionNamed(own, fn).Properties.Environment.Variables[variable]).toBe(given);
  });

  it('configures Fetcher client credentials from a token URL and one secret', () => {
    const clientSecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/fetcher-client-MnOpQr';
    const { template: m2m } = synthApp({
      fetcherAuth: { tokenUrl: 'https://auth.example.com/v1/login/oauth/access_token', clientSecretArn, clientId: 'matcher' },
    });
    expect(functionNamed(m2m, 'create-connection').Properties.Environment.Variables).toMatchObject({
      FETCHER_AUTH: 'client_credentials',
      FETCHER_TOKEN_URL: 'https://auth.example.com/v1/login/oauth/access_token',
      FETCHER_CLIENT_SECRET_ARN: clientSecretArn,
      FETCHER_CLIENT_ID: 'matcher',
    });
    const reads = statementsOf(m2m).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(reads)).toContain(clientSecretArn);
  });
});

describe('the DynamoDB tables', () => {
  it('have the key schemas of functions/dynamodb-tables.ts, and TTL on the attribute each names', () => {
    expect(tables[tableId(CACHE_TABLE)]!.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: CACHE_TABLE.timeToLiveAttribute,
      Enabled: true,
    });
    expect(tables[tableId(IDEMPOTENCY_TABLE)]!.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: IDEMPOTENCY_TABLE.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('are on demand, with point-in-time recovery, deletion protection, the AWS-owned key, and kept on delete', () => {
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: false },
        Replicas: [{ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('can be thrown away with the stack when removalPolicy is destroy', () => {
    const { template: throwaway } = synthApp({ removalPolicy: 'destroy' });
    for (const table of Object.values(resourcesOf(throwaway, 'AWS::DynamoDB::GlobalTable'))) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    }
    for (const group of Object.values(resourcesOf(throwaway, 'AWS::Logs::LogGroup'))) expect(group.DeletionPolicy).toBe('Delete');
  });
});

describe('alarms', () => {
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  const alarm = (path: string) => Object.entries(alarms).find(([id]) => id.includes(path))![1].Properties;

  it('watch the 5xx rate, p99 latency, Fetcher errors, cache write failures, JWKS failures and throttles', () => {
    expect(
      Object.keys(alarms)
        .map((id) => id.replace(/^DiscoveryAlarms|[0-9A-F]{8}$/g, ''))
        .sort(),
    ).toEqual(
      [
        'CacheWriteFailures',
        'FetcherErrors',
        'JwksFailures',
        'LatencyP99',
        'ServerErrorRate',
        'SyncDeadLetters',
        ...LAMBDA_FUNCTIONS.map((fn) => `Throttles${fn.name.replaceAll('-', '')}`),
      ].sort(),
    );
    expect(
      alarm('ServerErrorRate')
        .Metrics.map((m: { MetricStat?: { Metric: { MetricName: string } } }) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(alarm('LatencyP99')).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 5_000 });
    expect(alarm('CacheWriteFailures')).toMatchObject({
      Namespace: 'MatcherDiscovery',
      MetricName: 'CacheWriteFailures',
      Dimensions: [{ Name: 'service', Value: 'matcher-discovery' }],
    });
    expect(alarm('Throttles')).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
  });

  it('sum the Fetcher fault classes and leave rejections of bad input out', () => {
    const classes = alarm('FetcherErrors')
      .Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat)
      .map(
        (m: { MetricStat: { Metric: { Dimensions: { Name: string; Value: string }[] } } }) =>
          m.MetricStat.Metric.Dimensions.find((d) => d.Name === 'ErrorClass')!.Value,
      );
    expect(classes.sort()).toEqual(['bad_gateway', 'busy', 'circuit_open', 'timeout', 'unknown', 'unreachable']);
  });

  it('notify a new topic, subscribed to the e-mail address, when they fire and when they clear', () => {
    const { template: mailed } = synthApp({ alarms: { email: 'oncall@example.com' } });
    const topicId = Object.keys(resourcesOf(mailed, 'AWS::SNS::Topic'))[0]!;
    mailed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topicId },
    });
    for (const { Properties } of Object.values(resourcesOf(mailed, 'AWS::CloudWatch::Alarm'))) {
      expect(Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('notify an existing topic instead of creating one', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:platform-alarms';
    const { template: shared } = synthApp({ alarms: { topicArn, latencyP99Ms: 3_000 } });
    shared.resourceCountIs('AWS::SNS::Topic', 0);
    shared.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
    shared.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 3_000 });
  });
});

describe('outputs', () => {
  it('give the API URL, the table names and the function names', () => {
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('CacheTableName', { Value: { Ref: tableId(CACHE_TABLE) } });
    template.hasOutput('IdempotencyTableName', { Value: { Ref: tableId(IDEMPOTENCY_TABLE) } });
    template.hasOutput('CreateConnectionFunctionName', { Value: { Ref: Object.keys(resourcesOf(template, 'AWS::Lambda::Function'))[0] } });
  });
});
