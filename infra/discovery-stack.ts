import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROUTES } from '../functions/routes.ts';
import { DiscoveryService } from './discovery-service.ts';
import type { DiscoverySettings } from './discovery-settings.ts';
import { acknowledgeNagFindings } from './nag-suppressions.ts';

export interface DiscoveryStackProps extends StackProps {
  settings: DiscoverySettings;
}

/** The stand-alone deployment: the service, its outputs, and the acknowledged cdk-nag findings. */
export class DiscoveryStack extends Stack {
  readonly service: DiscoveryService;

  constructor(scope: Construct, id: string, props: DiscoveryStackProps) {
    const { settings, ...stackProps } = props;
    super(scope, id, { description: 'Matcher discovery connections: HTTP API, Lambda, DynamoDB (matcher-discovery)', ...stackProps });
    this.service = new DiscoveryService(this, 'Discovery', settings);
    acknowledgeNagFindings(this.service);

    new CfnOutput(this, 'ApiUrl', { value: this.service.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'CacheTableName', { value: this.service.cacheTable.tableName, description: 'Discovery cache table' });
    new CfnOutput(this, 'IdempotencyTableName', { value: this.service.idempotencyTable.tableName, description: 'Idempotency table' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.service.alarmTopic.topicArn, description: 'Where the alarms notify' });
    for (const { name, function: fn, logGroup } of this.service.functions) {
      // e.g. CreateConnectionFunctionName: what secret rotation and log searches need.
      const stem = name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
      const route = ROUTES.find((candidate) => candidate.name === name);
      new CfnOutput(this, `${stem}FunctionName`, {
        value: fn.functionName,
        description: route ? `Function serving ${route.routeKey}` : `Function ${name}`,
      });
      new CfnOutput(this, `${stem}LogGroupName`, {
        value: logGroup.logGroupName,
        description: `Log group of ${name} (outlives the stack when retained)`,
      });
    }
    // What `cdk destroy` leaves behind with removalPolicy "retain": the README's tear-down deletes each by these names.
    new CfnOutput(this, 'AccessLogGroupName', {
      value: this.service.accessLogs.logGroupName,
      description: 'Access log group of the HTTP API',
    });
    new CfnOutput(this, 'IdempotencySecretArn', {
      value: this.service.idempotencySecret.secretArn,
      description: 'HMAC key of the idempotency records',
    });
    new CfnOutput(this, 'CursorSecretArn', { value: this.service.cursorSecret.secretArn, description: 'HMAC key of the list cursors' });
    new CfnOutput(this, 'SyncQueueUrl', { value: this.service.sync.queue.queueUrl, description: 'Queue of the per-tenant syncs' });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', {
      value: this.service.sync.deadLetters.queueUrl,
      description: 'Syncs that kept failing',
    });
  }
}
