import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpRoute, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ROUTES } from '../functions/routes.ts';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../functions/tables.ts';
import { DiscoveryAlarms } from './discovery-alarms.ts';
import { resolveDiscoverySettings, type DiscoverySettings, type ResolvedDiscoverySettings } from './discovery-settings.ts';
import { discoveryTable } from './discovery-table.ts';
import { functionEnvironment } from './function-environment.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

/** Below 30 s (HTTP API's ceiling) and above the function's 25 s, so the function's own 504 wins. */
const INTEGRATION_TIMEOUT = Duration.seconds(29);

/** The table actions the code uses: the cache adapter, and Powertools idempotency (its own issue). */
const CACHE_ACTIONS = ['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'];
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * One access log line per request: who, which route, the outcome and how long it took. Never the
 * body, the query string or any header (so never Authorization).
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    lambdaRequestId: '$context.integration.requestId',
    error: '$context.error.message',
  }),
);

export type DiscoveryServiceProps = DiscoverySettings;

/**
 * matcher-discovery as one construct: the HTTP API with every route of functions/routes.ts, a function
 * per route, the DynamoDB tables of functions/tables.ts, secrets by reference, logs, metrics and
 * alarms. Embed it in any stack; infra/discovery-stack.ts is the stand-alone deployment.
 */
export class DiscoveryService extends Construct {
  readonly settings: ResolvedDiscoverySettings;
  readonly cacheTable: TableV2;
  readonly idempotencyTable: TableV2;
  readonly functions: RouteFunction[];
  readonly api: HttpApi;
  readonly routes: HttpRoute[];
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly alarmTopic: ITopic;
  readonly alarms: DiscoveryAlarms;
  /** The imported VPC, subnets and security groups the functions run in, when settings.vpc is set. */
  readonly network: RouteFunctionProps['network'];

  constructor(scope: Construct, id: string, props: DiscoveryServiceProps) {
    super(scope, id);
    const settings = resolveDiscoverySettings(props);
    this.settings = settings;
    const removalPolicy = settings.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.cacheTable = discoveryTable(this, 'CacheTable', CACHE_TABLE, removalPolicy);
    this.idempotencyTable = discoveryTable(this, 'IdempotencyTable', IDEMPOTENCY_TABLE, removalPolicy);
    const environment = functionEnvironment(settings, { cache: this.cacheTable.tableName, idempotency: this.idempotencyTable.tableName });
    this.network = settings.vpc
      ? {
          vpc: Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: settings.vpc.vpcId, availabilityZones: Fn.getAzs() }),
          subnets: settings.vpc.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId)),
          securityGroups: settings.vpc.securityGroupIds?.map((groupId) => SecurityGroup.fromSecurityGroupId(this, groupId, groupId, { mutable: false })),
        }
      : undefined;
    const secretArns = [settings.jwt.secretArn, settings.fetcherAuth?.tokenSecretArn].filter((arn): arn is string => arn !== undefined);

    this.functions = ROUTES.map((route) => {
      const routeFunction = new RouteFunction(this, route.name, {
        route,
        environment,
        memorySize: settings.memorySize,
        reservedConcurrency: settings.reservedConcurrency,
        tracing: settings.tracing,
        logRetention: settings.logRetentionDays,
        removalPolicy,
        network: this.network,
      });
      this.cacheTable.grant(routeFunction.role, ...CACHE_ACTIONS);
      this.idempotencyTable.grant(routeFunction.role, ...IDEMPOTENCY_ACTIONS);
      if (secretArns.length) {
        // Read once per cold start, by exact ARN; never DescribeSecret, never a wildcard.
        routeFunction.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }));
        if (settings.secretsKmsKeyArn) {
          routeFunction.role.addToPrincipalPolicy(
            new PolicyStatement({
              actions: ['kms:Decrypt'],
              resources: [settings.secretsKmsKeyArn],
              conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
            }),
          );
        }
      }
      return routeFunction;
    });

    this.api = new HttpApi(this, 'Api', {
      description: 'Matcher discovery connections',
      createDefaultStage: false,
      ...(settings.corsOrigins.length
        ? {
            corsPreflight: {
              allowOrigins: settings.corsOrigins,
              allowMethods: [...new Set(ROUTES.map((route) => CorsHttpMethod[route.method]))],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
              exposeHeaders: ['location', 'retry-after', 'www-authenticate'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: settings.logRetentionDays, removalPolicy });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.routes = ROUTES.flatMap((route, i) =>
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}-integration`, this.functions[i]!.function, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
          timeout: INTEGRATION_TIMEOUT,
        }),
      }),
    );

    const { topicArn, email, ...thresholds } = settings.alarms;
    this.alarmTopic = topicArn ? Topic.fromTopicArn(this, 'AlarmTopic', topicArn) : this.createAlarmTopic(email);
    this.alarms = new DiscoveryAlarms(this, 'Alarms', {
      stage: this.stage,
      functions: this.functions.map((routeFunction, i) => ({ name: ROUTES[i]!.name, function: routeFunction.function })),
      topic: this.alarmTopic,
      metricsNamespace: settings.metricsNamespace,
      ...thresholds,
    });
  }

  /** Without a topic of the team's own: a new one, subscribed to the e-mail address if one is given. */
  private createAlarmTopic(email: string | undefined): ITopic {
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'matcher-discovery alarms', enforceSSL: true });
    if (email) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  /** The API's base URL. */
  get url(): string {
    return this.stage.url;
  }
}
