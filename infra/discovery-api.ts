import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ROUTES } from '../functions/routes.ts';
import type { ResolvedDiscoverySettings } from './discovery-settings.ts';

/** Below 30 s (HTTP API's ceiling) and above the function's 25 s, so the function's own 504 wins. */
const INTEGRATION_TIMEOUT = Duration.seconds(29);

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

export interface DiscoveryApiProps {
  settings: ResolvedDiscoverySettings;
  /** The function serving each route, by route name. */
  functionOf: (routeName: string) => IFunction;
  removalPolicy: RemovalPolicy;
}

export interface DiscoveryHttpApi {
  api: HttpApi;
  stage: HttpStage;
  routes: HttpRoute[];
  accessLogs: LogGroup;
}

/**
 * The HTTP API: every route of functions/routes.ts, a throttled $default stage, and its access logs.
 * Added to `scope` itself, so their logical ids stay those of the deployed stack.
 */
export const addHttpApi = (scope: Construct, { settings, functionOf, removalPolicy }: DiscoveryApiProps): DiscoveryHttpApi => {
  const api = new HttpApi(scope, 'Api', {
    // Named for the console and the CLI (`aws apigatewayv2 get-apis`), after the stack it belongs to.
    apiName: `${Stack.of(scope).stackName}-api`,
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
  const accessLogs = new LogGroup(scope, 'AccessLogs', { retention: settings.logRetentionDays, removalPolicy });
  const stage = new HttpStage(scope, 'Stage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: settings.throttle,
    accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
  });
  const routes = ROUTES.flatMap((route) =>
    api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${route.name}-integration`, functionOf(route.name), {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        timeout: INTEGRATION_TIMEOUT,
      }),
    }),
  );
  return { api, stage, routes, accessLogs };
};
