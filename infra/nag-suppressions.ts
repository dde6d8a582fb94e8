import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { lambdaFunction } from '../functions/lambda-functions.ts';
import type { DiscoveryService } from './discovery-service.ts';
import { tenantSecretPrefixOf } from './fetcher-identity.ts';

/**
 * Every cdk-nag (AwsSolutions) finding the service keeps, in one place, each on the construct it is
 * about, with the reason. Anything not acknowledged here fails the synth (test/infra/nag.test.ts).
 */
export const acknowledgeNagFindings = (service: DiscoveryService): void => {
  const tenantPrefix = tenantSecretPrefixOf(service.settings);
  for (const discoveryFunction of service.functions) {
    Validations.of(discoveryFunction.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to nodejs22.x on purpose: the project builds and tests on Node 22 (the pinned node-* packages), so the runtime matches what CI ran. Moving to a newer runtime is a deliberate change of both together.',
    });
    if (service.settings.tracing) {
      Validations.of(discoveryFunction.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so AWS requires Resource "*". No other statement of this role has a wildcard action, nor a wildcard resource but the tenant secret prefix acknowledged below (with fetcherAuth.tenantSecretPrefix).',
      });
    }
    if (tenantPrefix !== undefined && lambdaFunction(discoveryFunction.name).sections.includes('fetcher')) {
      Validations.of(discoveryFunction.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${tenantPrefix}*]`,
        reason:
          "Each tenant's Fetcher client credentials are in a secret of its own, named by the prefix and the tenant id, which an operator creates when the tenant is added, after the deploy: their ARNs cannot be listed here. The wildcard follows the prefix alone (which ends in a separator), in this account and region, for GetSecretValue only, and only on the roles of the functions that call Fetcher.",
      });
    }
    if (service.settings.vpc) {
      Validations.of(discoveryFunction.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Placing the function in the VPC (where Fetcher is reachable) needs the ENI actions of AWSLambdaVPCAccessExecutionRole (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DeleteNetworkInterface, ...), which cannot be scoped to resources; the AWS-maintained policy is the documented minimum and follows changes to what Lambda needs.',
      });
    }
  }
  if (service.network) {
    Validations.of(service.network.vpc).acknowledge({
      id: 'Annotation::@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
      reason:
        'The VPC is imported by id only so the functions can be placed in the subnets given by id; nothing selects subnets by availability zone.',
    });
    for (const subnet of service.network.subnets) {
      Validations.of(subnet).acknowledge({
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason: "The subnet is imported by id only for the function's VpcConfig; nothing reads its route table.",
      });
    }
  }
  if (service.idempotencySecret instanceof Secret) {
    Validations.of(service.idempotencySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The generated secret is the HMAC key of idempotency records that live 24 h. Rotating it on a schedule would make every replay of the previous day fail as a different body (422 MTCH-0019) instead of returning the stored 201; it is rotated by hand when needed (README, Secrets), after which old records simply expire.',
    });
  }
  if (service.cursorSecret instanceof Secret) {
    Validations.of(service.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The generated secret signs list cursors, which live as long as a client pages through a list. A scheduled rotation would turn the cursors in flight into 422s with nothing gained; it is rotated by hand when needed (README, Secrets).',
    });
  }
  Validations.of(service.sync.schedulerRole).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::<DiscoverysyncdispatcherFunction0A3F14C8.Arn>:*]',
    reason:
      "CDK's LambdaInvoke target grants lambda:InvokeFunction on the dispatcher and its qualified ARNs (<arn>:*, its versions and aliases); the role can invoke that one function and nothing else.",
  });
  for (const route of service.routes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates the caller in the function (jose): a Bearer JWT checked for signature, exp, issuer, audience, the discovery:write permission and the tenant. An API Gateway JWT authorizer cannot take its place: it does not support the HMAC-signed (HS256) tokens Matcher issues, and the contract requires RFC 9457 problem+json 401/403 answers and a 503 (never a 401) when the signing keys are unavailable.',
    });
  }
  acknowledgeOpenApiRoute(service);
};

/** GET /openapi.json (publishOpenApi): public on purpose, on the same pinned runtime as the rest. */
const acknowledgeOpenApiRoute = ({ openApi }: DiscoveryService): void => {
  if (!openApi) return;
  Validations.of(openApi.function.function).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'The runtime is pinned to nodejs22.x like every other function of the service: the project builds and tests on Node 22.',
  });
  for (const route of openApi.routes) {
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The route serves the OpenAPI document, which says nothing a client may not know; it is public on purpose and only when publishOpenApi is set. Its function holds the document and can only write its own logs.',
    });
  }
};
