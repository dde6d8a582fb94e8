import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp } from '../support/cdk-app.ts';
import { TEST_ACCOUNT, TEST_REGION, templateValues } from '../support/template-values.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

let topicArn: string;
let topicPolicy: unknown;
let alarmArns: string[];

beforeAll(() => {
  const { template } = synthApp({ alarms: { email: 'oncall@example.com' } });
  const json = template.toJSON() as { Resources: Resources };
  const values = templateValues(json);
  const idsOf = (type: string) => Object.keys(json.Resources).filter((id) => json.Resources[id]!.Type === type);
  const [topicId] = idsOf('AWS::SNS::Topic');
  topicArn = values.ref(topicId!);
  const policies = idsOf('AWS::SNS::TopicPolicy').map((id) => json.Resources[id]!.Properties);
  expect(policies).toHaveLength(1);
  expect(values.resolve(policies[0]!.Topics)).toEqual([topicArn]);
  topicPolicy = values.resolve(policies[0]!.PolicyDocument);
  alarmArns = idsOf('AWS::CloudWatch::Alarm').map((id) => values.arn(id));
});

/** SNS's answer to a Publish on the alarm topic by this principal, with these request keys. */
const publish = async (principal: string, context: Record<string, string>) => {
  const result = await runSimulation(
    {
      request: { principal, action: 'sns:Publish', resource: { resource: topicArn, accountId: TEST_ACCOUNT }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: topicPolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
};

const byAlarm = (alarmArn: string, account = TEST_ACCOUNT, secure = 'true') => ({
  'aws:SourceArn': alarmArn,
  'aws:SourceAccount': account,
  'aws:SecureTransport': secure,
});

describe('the alarm topic policy (evaluated offline by @cloud-copilot/iam-simulate)', () => {
  it('lets every CloudWatch alarm of the stack publish over TLS', async () => {
    expect(alarmArns.length).toBeGreaterThan(5);
    for (const alarmArn of alarmArns) expect(await publish('cloudwatch.amazonaws.com', byAlarm(alarmArn)), alarmArn).toBe('Allowed');
  });

  it("refuses another account's alarms, even naming this account", async () => {
    const foreign = `arn:aws:cloudwatch:${TEST_REGION}:210987654321:alarm:anything`;
    expect(await publish('cloudwatch.amazonaws.com', byAlarm(foreign, '210987654321'))).not.toBe('Allowed');
    expect(await publish('cloudwatch.amazonaws.com', byAlarm(foreign))).not.toBe('Allowed');
    expect(await publish('cloudwatch.amazonaws.com', { 'aws:SecureTransport': 'true' })).not.toBe('Allowed');
  });

  it('refuses any other principal: another service, a role or a user of the account, anyone', async () => {
    for (const principal of [
      'events.amazonaws.com',
      `arn:aws:iam::${TEST_ACCOUNT}:role/some-role`,
      `arn:aws:iam::${TEST_ACCOUNT}:user/someone`,
      'arn:aws:iam::210987654321:root',
    ]) {
      expect(await publish(principal, byAlarm(alarmArns[0]!)), principal).not.toBe('Allowed');
    }
  });

  it('refuses plain HTTP, explicitly, even from an alarm of the stack', async () => {
    expect(await publish('cloudwatch.amazonaws.com', byAlarm(alarmArns[0]!, TEST_ACCOUNT, 'false'))).toBe('ExplicitlyDenied');
  });
});
