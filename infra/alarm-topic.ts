import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The alarms' own topic, when the team names none: publishing over TLS only, and by CloudWatch alarms
 * of this account and region only. enforceSSL alone would leave a policy holding nothing but its Deny,
 * which replaces SNS's default policy, so CloudWatch could not publish and no alarm would reach anyone.
 */
export const alarmTopic = (scope: Construct, id: string, email: string | undefined): Topic => {
  const topic = new Topic(scope, id, { displayName: 'matcher-discovery alarms', enforceSSL: true });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      effect: Effect.ALLOW,
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        // The alarm's ARN and account, as CloudWatch sends them: no other account's alarm can use the topic.
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      },
    }),
  );
  if (email) topic.addSubscription(new EmailSubscription(email));
  return topic;
};
