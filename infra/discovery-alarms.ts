import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FETCHER_ERROR_CLASS, FETCHER_FAULT_CLASSES, METRIC } from '../functions/observability/metric-names.ts';
import { SERVICE_NAME } from '../functions/observability/service-name.ts';

const PERIOD = Duration.minutes(5);

export interface DiscoveryAlarmsProps {
  stage: HttpStage;
  /** The route functions, by route name. */
  functions: { name: string; function: IFunction }[];
  topic: ITopic;
  metricsNamespace: string;
  latencyP99Ms: number;
  serverErrorRatePercent: number;
  fetcherErrors: number;
  /** The sync queue's dead letters: a tenant whose sync kept failing. */
  deadLetters: IQueue;
}

/**
 * What a platform engineer is paged for: callers getting 5xx, a slow p99, Fetcher failing, the cache
 * falling behind, signing keys unavailable, or the function being throttled. Each alarm notifies the
 * topic when it fires and when it clears; no data (no traffic) is never an alarm.
 */
export class DiscoveryAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: DiscoveryAlarmsProps) {
    super(scope, id);
    const serviceMetric = (metricName: string, dimensions: Record<string, string> = {}) =>
      new Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: SERVICE_NAME, ...dimensions },
        statistic: 'Sum',
        period: PERIOD,
      });

    const alarm = (
      alarmId: string,
      metric: IMetric,
      threshold: number,
      description: string,
      evaluationPeriods = 1,
      datapointsToAlarm = 1,
    ) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new SnsAction(props.topic));
      created.addOkAction(new SnsAction(props.topic));
      this.alarms.push(created);
    };

    alarm(
      'ServerErrorRate',
      new MathExpression({
        // Below 10 requests in 5 minutes a single failure is not a rate worth waking anyone for.
        expression: 'IF(requests >= 10, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.stage.metricServerError({ statistic: 'Sum', period: PERIOD }),
          requests: props.stage.metricCount({ statistic: 'Sum', period: PERIOD }),
        },
        period: PERIOD,
        label: '5xx rate (%)',
      }),
      props.serverErrorRatePercent,
      `More than ${props.serverErrorRatePercent}% of requests answered 5xx in 2 of the last 3 periods of 5 minutes.`,
      3,
      2,
    );
    alarm(
      'LatencyP99',
      props.stage.metricLatency({ statistic: 'p99', period: PERIOD }),
      props.latencyP99Ms,
      `p99 latency at the API above ${props.latencyP99Ms} ms for 15 minutes.`,
      3,
      3,
    );
    const faults = Object.fromEntries(
      FETCHER_FAULT_CLASSES.map((errorClass, i) => [`f${i}`, serviceMetric(METRIC.fetcherErrors, { [FETCHER_ERROR_CLASS]: errorClass })]),
    );
    alarm(
      'FetcherErrors',
      new MathExpression({
        expression: `SUM([${Object.keys(faults).join(',')}])`,
        usingMetrics: faults,
        period: PERIOD,
        label: 'Fetcher errors',
      }),
      props.fetcherErrors,
      `At least ${props.fetcherErrors} Fetcher calls timed out, were refused, or answered 5xx/429 in 5 minutes (rejections of bad input not counted).`,
    );
    alarm(
      'CacheWriteFailures',
      serviceMetric(METRIC.cacheWriteFailures),
      1,
      'A connection was created in Fetcher but not cached in DynamoDB; the next sync repairs it.',
    );
    alarm(
      'JwksFailures',
      serviceMetric(METRIC.jwksFailures),
      1,
      'The JWKS could not be fetched and no keys were cached: callers are being turned away with 503.',
    );
    alarm(
      'SyncDeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD }),
      1,
      "A tenant's sync failed on every retry (Fetcher down or refusing us) and was parked in the dead-letter queue.",
    );
    for (const { name, function: fn } of props.functions) {
      alarm(
        `Throttles-${name}`,
        fn.metricThrottles({ statistic: 'Sum', period: PERIOD }),
        1,
        `${name} was throttled (reserved concurrency or the account limit): callers got 5xx.`,
      );
    }
  }
}
