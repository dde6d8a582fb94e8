/**
 * Turns a synthesized template's intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split and the pseudo parameters) into the concrete values a deployment in one account and
 * region would have, each resource named after its logical id. What an offline IAM evaluator needs.
 */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'eu-west-1';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': TEST_ACCOUNT,
  'AWS::Region': TEST_REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'MatcherDiscovery',
  'AWS::NoValue': '',
};

const prefix = (service: string) => `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}`;

/** A resource's Ref and Arn, by type, named after its logical id as CloudFormation would name it. */
const valuesOf = (type: string, id: string): { ref: string; arn: string } => {
  switch (type) {
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table':
      return { ref: id, arn: `${prefix('dynamodb')}:table/${id}` };
    case 'AWS::SQS::Queue':
      return { ref: `https://sqs.${TEST_REGION}.amazonaws.com/${TEST_ACCOUNT}/${id}`, arn: `${prefix('sqs')}:${id}` };
    case 'AWS::SecretsManager::Secret': {
      const arn = `${prefix('secretsmanager')}:secret:${id}-AbCdEf`;
      return { ref: arn, arn };
    }
    case 'AWS::SNS::Topic': {
      const arn = `${prefix('sns')}:${id}`;
      return { ref: arn, arn };
    }
    case 'AWS::Logs::LogGroup':
      return { ref: id, arn: `${prefix('logs')}:log-group:${id}:*` };
    case 'AWS::Lambda::Function':
      return { ref: id, arn: `${prefix('lambda')}:function:${id}` };
    case 'AWS::IAM::Role':
      return { ref: id, arn: `arn:aws:iam::${TEST_ACCOUNT}:role/${id}` };
    case 'AWS::CloudWatch::Alarm':
      return { ref: id, arn: `${prefix('cloudwatch')}:alarm:${id}` };
    default:
      return { ref: id, arn: `arn:aws:unknown:${TEST_REGION}:${TEST_ACCOUNT}:${id}` };
  }
};

export interface TemplateValues {
  /** The value with every intrinsic replaced. */
  resolve(value: unknown): any;
  ref(logicalId: string): string;
  arn(logicalId: string): string;
}

export const templateValues = (template: Template): TemplateValues => {
  const ofResource = (id: string) => {
    const resource = template.Resources[id];
    if (!resource) throw new Error(`the template has no resource ${id}`);
    return valuesOf(resource.Type, id);
  };
  const ref = (name: string) => PSEUDO[name] ?? ofResource(name).ref;
  const getAtt = (id: string, attribute: string) => {
    if (attribute === 'Arn') return ofResource(id).arn;
    if (attribute === 'QueueName' || attribute === 'TopicName') return id;
    if (attribute === 'QueueUrl') return ofResource(id).ref;
    throw new Error(`no value for ${id}.${attribute}`);
  };
  const sub = (text: string, variables: Record<string, unknown>) =>
    text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in variables) return String(resolve(variables[name]));
      const [id, attribute] = name.split('.');
      return attribute ? getAtt(id!, attribute) : ref(id!);
    });
  const resolve = (value: unknown): any => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]! as [string, any];
      if (key === 'Ref') return ref(arg as string);
      if (key === 'Fn::GetAtt') return getAtt(...((typeof arg === 'string' ? arg.split('.') : arg) as [string, string]));
      if (key === 'Fn::Join') return (resolve(arg[1]) as unknown[]).join(arg[0] as string);
      if (key === 'Fn::Sub') return typeof arg === 'string' ? sub(arg, {}) : sub(arg[0] as string, arg[1] as Record<string, unknown>);
      if (key === 'Fn::Select') return (resolve(arg[1]) as unknown[])[Number(resolve(arg[0]))];
      if (key === 'Fn::Split') return String(resolve(arg[1])).split(arg[0] as string);
    }
    return Object.fromEntries(entries.map(([key, inner]) => [key, resolve(inner)]));
  };
  return { resolve, ref, arn: (id) => ofResource(id).arn };
};
