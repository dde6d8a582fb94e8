import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/local-paths.ts';

/** Where the AWS calls of a test run are kept: one JSON line per call, one file per test worker. */
export const AWS_CALL_DIR = join(REPO_ROOT, 'reports', 'aws-calls');
const RUN_MARKER = join(AWS_CALL_DIR, 'run.json');

/** One resource a call names: a table (with the index queried), the queue, a secret. */
export interface CalledResource {
  /** As sent: TableName, QueueUrl or SecretId. */
  name: string;
  index?: string;
  /** The function's environment variable whose value it is (TABLE_NAME, SYNC_QUEUE_URL, JWT_SECRET_ARN...). */
  variable?: string;
  /** For a transaction, the action on this item (Put, Update, Delete, ConditionCheck). */
  item?: string;
}

/** One AWS request a function sent, as the SDK put it on the wire. */
export interface AwsCall {
  /** The function of functions/lambda-functions.ts that made it; null for a test's own calls. */
  fn: string | null;
  /** How `fn` was found: the invocation it ran in, or the function's folder in the call's stack. */
  attributedBy: 'invocation' | 'stack' | null;
  /** The wire action: the X-Amz-Target header (DynamoDB_20120810.UpdateItem, AmazonSQS.SendMessageBatch...). */
  target: string;
  /** The endpoint's host, for a call with no X-Amz-Target. */
  host: string;
  resources: CalledResource[];
  /** Where the call was made: the first frames of the repository's own code. */
  site: string[];
  testFile: string;
  testName: string;
}

/** Starts a run's log afresh (the global setup, once per run). */
export const resetAwsCallLog = () => {
  rmSync(AWS_CALL_DIR, { recursive: true, force: true });
  mkdirSync(AWS_CALL_DIR, { recursive: true });
  writeFileSync(RUN_MARKER, JSON.stringify({ startedAt: new Date().toISOString() }));
};

/** Appends calls to this worker's file. */
export const appendAwsCall = (file: string, call: AwsCall) => {
  mkdirSync(AWS_CALL_DIR, { recursive: true });
  appendFileSync(join(AWS_CALL_DIR, file), `${JSON.stringify(call)}\n`);
};

/** Every call the run recorded; undefined when no run has started a log. */
export const readAwsCallLog = (): AwsCall[] | undefined => {
  if (!existsSync(RUN_MARKER)) return undefined;
  return readdirSync(AWS_CALL_DIR)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      readFileSync(join(AWS_CALL_DIR, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AwsCall),
    );
};
