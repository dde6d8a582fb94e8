import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, Architecture, type IFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LambdaFunction } from '../functions/lambda-functions.ts';
import type { DiscoveryNetwork } from './discovery-network.ts';

/** The repository root: function entries (functions/lambda-functions.ts) are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Below API Gateway's 29 s integration timeout, so the function always answers (504) before the API gives up. */
export const FUNCTION_TIMEOUT = Duration.seconds(25);

// ESM bundles of CommonJS packages (aws-xray-sdk-core) need a real `require` for Node built-ins.
const CREATE_REQUIRE = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * How every function is bundled: an ESM file made by the local esbuild (never Docker). The bundle
 * tests build with these same options.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  // Maps without the sources: stack traces still name file and line, and with
  // --enable-source-maps a 0.5 MB map loads faster at cold start than a 1.6 MB one.
  sourcesContent: false,
  // The AWS SDK is bundled, not taken from the runtime: one minified file imports faster than the
  // runtime's node_modules (npm run bench: README, Performance), and it is the version the tests ran.
  // Modules reached only by a dynamic import (the Secrets Manager client) are evaluated only when imported.
  externalModules: [] as string[],
  banner: CREATE_REQUIRE,
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
} satisfies BundlingOptions;

export interface DiscoveryFunctionProps {
  fn: LambdaFunction;
  /** What it serves, e.g. its route key. */
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  reservedConcurrency: number | undefined;
  /** Environments kept initialised behind a `live` alias, which then is what callers invoke. */
  provisionedConcurrency?: number | undefined;
  tracing: boolean;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  network: DiscoveryNetwork | undefined;
}

/**
 * One function: Node 22 on arm64, an ESM bundle made by the local esbuild, its own log group, and a
 * role that starts empty: the stack grants it exactly what functions/lambda-functions.ts lists.
 */
export class DiscoveryFunction extends Construct {
  readonly name: string;
  readonly function: NodejsFunction;
  /** What its trigger invokes: the `live` alias when it has provisioned concurrency, else the function. */
  readonly entryPoint: IFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: DiscoveryFunctionProps) {
    super(scope, id);
    this.name = props.fn.name;
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `matcher-discovery ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    // Lambda's ENIs in the VPC: the AWS-managed policy is the documented minimum (nag-suppressions.ts).
    if (props.network) this.role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));

    this.function = new NodejsFunction(this, 'Function', {
      description: `matcher-discovery ${props.description}`,
      entry: join(PROJECT_ROOT, props.fn.entry),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: { subnets: props.network.subnets },
            securityGroups: props.network.securityGroups,
          }
        : {}),
      bundling: BUNDLING,
    });
    this.entryPoint =
      props.provisionedConcurrency === undefined
        ? this.function
        : new Alias(this, 'Live', {
            aliasName: 'live',
            version: this.function.currentVersion,
            provisionedConcurrentExecutions: props.provisionedConcurrency,
          });
  }
}
