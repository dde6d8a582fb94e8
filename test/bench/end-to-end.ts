import * as documents from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createContainer } from '../../functions/composition/container.ts';
import { dynamodbClient } from '../../functions/composition/dynamodb.ts';
import { createConnectionRoute } from '../../functions/create-connection/route.ts';
import { CACHE_TABLE, IDEMPOTENCY_TABLE } from '../../functions/dynamodb-tables.ts';
import { lambdaFunction } from '../../functions/lambda-functions.ts';
import { documentClientOf } from '../../functions/adapters/dynamodb/dynamodb-client.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer } from '../doubles/dev-issuer.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../doubles/dynamodb-local.ts';
import { startFakeFetcher } from '../doubles/fake-fetcher.ts';
import { TEST_TABLES } from '../support/global-setup.ts';
import { routeNamed } from '../support/route-event.ts';
import { seedConnections } from '../support/seed-connections.ts';
import { startLocalApi, type LambdaHandler } from '../tools/local-api.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { quantile } from './stats.ts';

/**
 * Usage: node test/bench/end-to-end.ts <result.json>. Run as its own process by performance.bench.ts,
 * stdout thrown away, so the handler logs at the stack's level as it would in Lambda.
 */

export interface EndToEndResult {
  creates: number;
  /** A create as a client of the local API sees it. */
  wallMedianMs: number;
  /** The handler's own time, from the event in to the result out. */
  handlerMedianMs: number;
  /** The same Fetcher requests and DynamoDB requests, sent directly with the same overlap. */
  floorMedianMs: number;
  /** (handler - floor) / wall, per create, median: what the handler adds to a create. */
  handlerShare: number;
  /** (wall - floor) / wall: also counting the local API's own HTTP hop. */
  outsideFloorShare: number;
  seeded: number;
  emptyCacheMedianMs: number;
  fullCacheMedianMs: number;
  cacheRatio: number;
}

const CREATES = 30;
const SEEDED = 10_000;

/** One outbound request of a create, as sent: when it started and ended, and how to send it again. */
interface Sent {
  start: number;
  end: number;
  replay: (floor: string) => Promise<unknown>;
}

// The document client's commands by the name of the request they send (PutItem: PutCommand...), to send one again.
const COMMANDS = documents as unknown as Record<string, new (input: unknown) => Parameters<documents.DynamoDBDocumentClient['send']>[0]>;
const commandFor = (request: string) => COMMANDS[`${request.replace(/(Item|Items)?Command$/, '')}Command`]!;

/** A recorded request for another tenant: every string naming the tenant names the other one (binary values kept). */
const retarget = (value: unknown, from: string, to: string): unknown => {
  if (typeof value === 'string') return value.replaceAll(from, to);
  if (value instanceof Uint8Array) return value;
  if (value instanceof Set) return new Set([...value].map((item) => retarget(item, from, to)));
  if (Array.isArray(value)) return value.map((item) => retarget(item, from, to));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [retarget(key, from, to), retarget(item, from, to)]));
  }
  return value;
};

/** Requests that overlapped in time go out together again; the waves one after the other. */
const replayInWaves = async (sent: Sent[], floor: string) => {
  const sorted = [...sent].sort((a, b) => a.start - b.start);
  const waves: Sent[][] = [];
  let waveEnd = -Infinity;
  for (const request of sorted) {
    if (request.start < waveEnd) waves.at(-1)!.push(request);
    else waves.push([request]);
    waveEnd = Math.max(waveEnd, request.end);
  }
  for (const wave of waves) await Promise.all(wave.map((request) => request.replay(floor)));
};

/**
 * A create end to end through the local API, against the fake Fetcher and DynamoDB Local on loopback,
 * beside its floor: the same Fetcher requests and DynamoDB requests made directly (a fresh tenant
 * each time, so conditional writes meet the state they met the first time). Then creates in a tenant
 * with `seeded` cached connections against creates in an empty one, taking turns.
 */
const measureEndToEnd = async ({ creates, seeded }: { creates: number; seeded: number }): Promise<EndToEndResult> => {
  const local = await startDynamoDbLocal();
  const fake = await startFakeFetcher();
  const issuer = await startDevIssuer({});
  const raw = localClient(local.endpoint);
  const direct = documentClientOf(raw);
  let api: Awaited<ReturnType<typeof startLocalApi>> | undefined;
  const realFetch = globalThis.fetch;
  try {
    await ensureTable(raw, TEST_TABLES.cache, CACHE_TABLE);
    await ensureTable(raw, TEST_TABLES.idempotency, IDEMPOTENCY_TABLE);
    const env = {
      ...lambdaEnvironment(lambdaFunction('create-connection'), tmpdir()),
      TABLE_NAME: TEST_TABLES.cache,
      IDEMPOTENCY_TABLE_NAME: TEST_TABLES.idempotency,
      DYNAMODB_ENDPOINT: local.endpoint,
      FETCHER_URL: fake.url,
      FETCHER_ALLOW_INSECURE_HTTP: 'true',
      JWT_JWKS_URL: issuer.jwksUrl,
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: DEV_AUDIENCE,
      MULTI_TENANT: 'true',
      // One Fetcher behind every tenant, as the fake is.
      FETCHER_SHARED_IDENTITY: 'true',
    };
    const container = createContainer(env, () => Promise.reject(new Error('no secret is read by ARN here')));
    let sent: Sent[] = [];
    // The tenant of the create under way: its recorded requests are sent again for another one.
    const tenants = { empty: randomUUID(), full: randomUUID() };
    let tenant = tenants.empty;
    // Every DynamoDB request the handler sends, marshalled as it goes on the wire, and when.
    (await dynamodbClient(container)).middlewareStack.add(
      (next, context) => async (args) => {
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          const [input, from] = [structuredClone(args.input), tenant];
          const Command = commandFor(context.commandName!);
          sent.push({ start, end: performance.now(), replay: (floor) => direct.send(new Command(retarget(input, from, floor))) });
        }
      },
      // The input as the document client was given it: it marshals while serialising.
      { step: 'initialize', priority: 'high', name: 'benchRecorder' },
    );
    // Every Fetcher request, through the global fetch the Fetcher client uses.
    globalThis.fetch = async (input, init) => {
      const start = performance.now();
      try {
        return await realFetch(input, init);
      } finally {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.startsWith(fake.url)) {
          const body = typeof init?.body === 'string' ? init.body : undefined;
          sent.push({
            start,
            end: performance.now(),
            // A name Fetcher has not seen, so the create is a create again.
            replay: async (floor) =>
              (
                await realFetch(url, { ...init, body: body?.replace(/"configName":"([^"]*)"/, `"configName":"$1-${floor.slice(0, 8)}"`) })
              ).arrayBuffer(),
          });
        }
      }
    };
    const handler = await createConnectionRoute(container);
    let handlerMs = 0;
    const timed: LambdaHandler = async (event, context) => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        handlerMs = performance.now() - started;
      }
    };
    api = await startLocalApi({ routes: [{ route: routeNamed('create-connection'), handler: timed }], log: () => {} });
    const tokens = {
      empty: await issuer.sign({ tenantId: tenants.empty, scope: 'discovery:write' }),
      full: await issuer.sign({ tenantId: tenants.full, scope: 'discovery:write' }),
    };
    let serial = 0;
    const create = async (which: keyof typeof tokens) => {
      tenant = tenants[which];
      sent = [];
      const started = performance.now();
      const response = await realFetch(`${api!.url}/v1/discovery/connections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[which]}` },
        body: JSON.stringify({
          configName: `e2e-${serial++}`,
          databaseType: 'POSTGRESQL',
          host: 'db.example.com',
          port: 5432,
          databaseName: 'ledger',
          userName: 'matcher_ro',
          password: 'bench-password',
        }),
      });
      const answer = await response.text();
      const wall = performance.now() - started;
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${answer}`);
      return { wall, handler: handlerMs, sent };
    };

    for (let warm = 0; warm < 30; warm++) await create('empty');
    const walls: number[] = [];
    const handlers: number[] = [];
    const floors: number[] = [];
    const shares: number[] = [];
    const outside: number[] = [];
    for (let index = 0; index < creates; index++) {
      const { wall, handler: inHandler, sent: requests } = await create('empty');
      const started = performance.now();
      await replayInWaves(requests, randomUUID());
      const floor = performance.now() - started;
      walls.push(wall);
      handlers.push(inHandler);
      floors.push(floor);
      shares.push((inHandler - floor) / wall);
      outside.push((wall - floor) / wall);
    }

    await seedConnections(raw, tenants.full, seeded);
    for (let warm = 0; warm < 5; warm++) await create('full');
    const empty: number[] = [];
    const full: number[] = [];
    for (let index = 0; index < creates; index++) {
      empty.push((await create('empty')).wall);
      full.push((await create('full')).wall);
    }
    return {
      creates,
      wallMedianMs: quantile(walls, 0.5),
      handlerMedianMs: quantile(handlers, 0.5),
      floorMedianMs: quantile(floors, 0.5),
      handlerShare: quantile(shares, 0.5),
      outsideFloorShare: quantile(outside, 0.5),
      seeded,
      emptyCacheMedianMs: quantile(empty, 0.5),
      fullCacheMedianMs: quantile(full, 0.5),
      cacheRatio: quantile(full, 0.5) / quantile(empty, 0.5),
    };
  } finally {
    globalThis.fetch = realFetch;
    await api?.stop();
    raw.destroy();
    await Promise.all([issuer.stop(), fake.stop(), local.stop()]);
  }
};

// The SDK reads its credentials and region from the process, as in Lambda.
const env = lambdaEnvironment(lambdaFunction('create-connection'), tmpdir());
for (const name of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) process.env[name] = env[name];
await writeFile(process.argv[2]!, JSON.stringify(await measureEndToEnd({ creates: CREATES, seeded: SEEDED })));
