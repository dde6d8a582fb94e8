import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { HttpMethod, PayloadFormatVersion, type HttpApi, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { LambdaFunction } from '../functions/lambda-functions.ts';
import { DiscoveryFunction } from './discovery-function.ts';
import type { ResolvedDiscoverySettings } from './discovery-settings.ts';

/** The function behind GET /openapi.json: it holds the committed document and calls nothing. */
export const OPENAPI_FUNCTION: LambdaFunction = {
  name: 'openapi-document',
  entry: 'functions/openapi-document/handler.ts',
  trigger: 'http',
  sections: [],
  tables: {},
};

export interface OpenApiRoute {
  function: DiscoveryFunction;
  routes: HttpRoute[];
}

/**
 * GET /openapi.json on the API, when `publishOpenApi` is set: the OpenAPI document, without
 * authentication (it tells a client nothing it may not know), from a function whose role can only
 * write its own logs. Off by default: a private API may not want its reference public.
 */
export const addOpenApiRoute = (
  scope: Construct,
  { api, settings, removalPolicy }: { api: HttpApi; settings: ResolvedDiscoverySettings; removalPolicy: RemovalPolicy },
): OpenApiRoute => {
  const documentFunction = new DiscoveryFunction(scope, OPENAPI_FUNCTION.name, {
    fn: OPENAPI_FUNCTION,
    description: 'GET /openapi.json',
    environment: {},
    timeout: Duration.seconds(5),
    memorySize: 128,
    reservedConcurrency: undefined,
    tracing: false,
    logRetention: settings.logRetentionDays,
    removalPolicy,
    network: undefined,
  });
  const routes = api.addRoutes({
    path: '/openapi.json',
    methods: [HttpMethod.GET],
    integration: new HttpLambdaIntegration(`${OPENAPI_FUNCTION.name}-integration`, documentFunction.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    }),
  });
  return { function: documentFunction, routes };
};
