import { CACHE_TABLE } from './dynamodb-tables.ts';

/**
 * Every Lambda function of the service, as plain data: how it is invoked, what configuration it
 * reads and which AWS calls its code makes. The CDK stack builds each function's environment, trigger
 * and IAM role from this and nothing else, and the IAM test holds it to the calls the integration
 * tests record, both ways.
 */
export type SectionName = 'auth' | 'cache' | 'fetcher' | 'idempotency' | 'request' | 'sync' | 'queue' | 'cursor';

export type TableAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'BatchWriteItem';

export interface LambdaFunction {
  /** Function name stem, also its folder under functions/. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** http: a route of functions/routes.ts; schedule: the sync schedule; queue: the sync queue. */
  trigger: 'http' | 'schedule' | 'queue';
  /** The sections of functions/config/ it reads: its environment holds these variables and no others. */
  sections: readonly SectionName[];
  /** The DynamoDB actions it sends, per table. */
  tables: { cache?: readonly TableAction[]; idempotency?: readonly TableAction[] };
  /** The cache table's indexes it queries (functions/dynamodb-tables.ts). */
  cacheIndexes?: readonly string[];
  /** Whether it sends to the sync queue. */
  sendsToQueue?: boolean;
}

const fn = (
  name: string,
  trigger: LambdaFunction['trigger'],
  sections: SectionName[],
  tables: LambdaFunction['tables'],
  sendsToQueue = false,
): LambdaFunction => ({
  name,
  entry: `functions/${name}/handler.ts`,
  trigger,
  sections,
  tables,
  ...(sendsToQueue ? { sendsToQueue } : {}),
});

// Powertools idempotency: a conditional put claims the key, an update stores the answer, a delete
// releases a failure, a get reads the record of a key already claimed.
const IDEMPOTENCY: TableAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'];
// A sync: the lease (put, update, delete), the cache loaded (query) and the summary read (get),
// connections and summary updated, the tenant registered (put), snapshots batched.
const SYNC: TableAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'];

export const LAMBDA_FUNCTIONS: readonly LambdaFunction[] = [
  fn('create-connection', 'http', ['auth', 'cache', 'fetcher', 'idempotency', 'request'], {
    cache: ['UpdateItem', 'PutItem', 'Query', 'BatchWriteItem'],
    idempotency: IDEMPOTENCY,
  }),
  fn('get-connection', 'http', ['auth', 'cache'], { cache: ['GetItem'] }),
  {
    ...fn('list-connections', 'http', ['auth', 'cache', 'cursor'], { cache: ['GetItem'] }),
    cacheIndexes: CACHE_TABLE.indexes!.map((index) => index.name),
  },
  fn('get-connection-schema', 'http', ['auth', 'cache'], { cache: ['GetItem', 'Query'] }),
  fn('test-connection', 'http', ['auth', 'cache', 'fetcher'], { cache: ['GetItem'] }),
  // A change: the connection read, written, its snapshot taken or dropped (query, batch), the count.
  fn('update-connection', 'http', ['auth', 'cache', 'fetcher', 'idempotency', 'request'], {
    cache: ['GetItem', 'UpdateItem', 'Query', 'BatchWriteItem'],
    idempotency: IDEMPOTENCY,
  }),
  fn('delete-connection', 'http', ['auth', 'cache', 'fetcher'], { cache: ['GetItem', 'UpdateItem', 'Query', 'BatchWriteItem'] }),
  fn('refresh-discovery', 'http', ['auth', 'cache', 'fetcher', 'sync', 'queue'], { cache: SYNC }, true),
  fn('discovery-status', 'http', ['auth', 'cache', 'fetcher'], { cache: ['GetItem'] }),
  fn('sync-dispatcher', 'schedule', ['cache', 'queue'], { cache: ['Query'] }, true),
  fn('sync-worker', 'queue', ['cache', 'fetcher', 'sync'], { cache: SYNC }),
];

export const lambdaFunction = (name: string): LambdaFunction => {
  const found = LAMBDA_FUNCTIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no Lambda function named ${name}`);
  return found;
};
