/**
 * Every Lambda function of the service, as plain data: what configuration it reads and which AWS
 * calls its code makes. The CDK stack builds each function's environment and IAM role from this and
 * nothing else, and the IAM test holds it to the calls the integration tests record, both ways.
 */
export type SectionName = 'auth' | 'cache' | 'fetcher' | 'idempotency' | 'request';

export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'BatchWriteItem';

export interface LambdaFunction {
  /** Function name stem, also its folder under functions/. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** The sections of functions/config/ it reads: its environment holds these variables and no others. */
  sections: readonly SectionName[];
  /** The DynamoDB actions it sends, per table. */
  tables: { cache?: readonly TableAction[]; idempotency?: readonly TableAction[] };
}

const fn = (name: string, sections: SectionName[], tables: LambdaFunction['tables']): LambdaFunction => ({
  name,
  entry: `functions/${name}/handler.ts`,
  sections,
  tables,
});

// Powertools idempotency: a conditional put claims the key, an update stores the answer, a delete
// releases a failure, a get reads the record of a key already claimed.
const IDEMPOTENCY: TableAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];

export const LAMBDA_FUNCTIONS: readonly LambdaFunction[] = [
  fn('create-connection', ['auth', 'cache', 'fetcher', 'idempotency', 'request'], {
    cache: ['UpdateItem', 'PutItem', 'Query', 'DeleteItem'],
    idempotency: IDEMPOTENCY,
  }),
  fn('get-connection', ['auth', 'cache'], { cache: ['GetItem'] }),
];

export const lambdaFunction = (name: string): LambdaFunction => {
  const found = LAMBDA_FUNCTIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no Lambda function named ${name}`);
  return found;
};
