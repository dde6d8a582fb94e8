import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DiscoverySyncProps {
  /** The worker's timeout: the queue hides a message at least six times as long, as Lambda advises. */
  workerTimeout: Duration;
  removalPolicy: RemovalPolicy;
}

export interface SyncTriggers {
  dispatcher: IFunction;
  worker: IFunction;
  intervalMinutes: number;
  /** How many syncs run at once, at most: the load the service puts on Fetcher. */
  maxConcurrency: number;
}

// A message fails this many times (Fetcher down for as long) before it is parked in the dead-letter queue.
const MAX_RECEIVES = 3;
// Long enough for every receive of a failing message before it reaches the dead-letter queue.
const RETENTION = Duration.hours(6);

/**
 * The scheduled sync of every tenant: an EventBridge Scheduler rate schedule invokes the dispatcher,
 * which sends one message per registered tenant to the queue; the worker consumes it with a
 * concurrency cap and reports partial batch failures; messages that keep failing go to a
 * dead-letter queue that the alarms watch.
 */
export class DiscoverySync extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  schedule?: Schedule;
  /** The role the schedule invokes the dispatcher with. */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: DiscoverySyncProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * 6),
      retentionPeriod: RETENTION,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVES },
      removalPolicy: props.removalPolicy,
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: 'matcher-discovery: the sync schedule invokes the dispatcher',
    });
  }

  /** The schedule that invokes the dispatcher, and the worker's subscription to the queue. */
  wire(props: SyncTriggers): void {
    props.worker.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: props.maxConcurrency }),
    );
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'matcher-discovery: sync every registered tenant',
      schedule: ScheduleExpression.rate(Duration.minutes(props.intervalMinutes)),
      target: new LambdaInvoke(props.dispatcher, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ source: 'matcher-discovery-schedule' }),
      }),
    });
  }
}
