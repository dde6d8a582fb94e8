/**
 * Warm, in-process overhead of the HTTP pipeline: the real routes built by the real container, with
 * Fetcher and the cache answered at once by in-memory ports. Run as its own process by
 * performance.bench.ts, with stdout thrown away: the routes log and publish metrics at the stack's
 * level (INFO) as they do in Lambda, and those writes are part of the cost.
 * Usage: node test/bench/warm.ts <result.json>
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createContainer } from '../../functions/composition/container.ts';
import { connectionCache, schemaSnapshots, tenantRegistry, tenantSummaries } from '../../functions/composition/dynamodb.ts';
import { fetcher } from '../../functions/composition/fetcher.ts';
import { createConnectionRoute } from '../../functions/create-connection/route.ts';
import type { FetcherConnection } from '../../functions/discovery/connection.ts';
import { getConnectionRoute } from '../../functions/get-connection/route.ts';
import { lambdaFunction } from '../../functions/lambda-functions.ts';
import { DEV_AUDIENCE, DEV_ISSUER, startDevIssuer } from '../doubles/dev-issuer.ts';
import { partialFetcher } from '../support/partial-ports.ts';
import { createConnectionEvent, routeEvent, routeNamed } from '../support/route-event.ts';
import { lambdaContext } from '../tools/lambda-context.ts';
import { inMemoryCache } from '../unit/discovery/in-memory-cache.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { quantile, timeEach } from './stats.ts';

export interface WarmResult {
  scenario: string;
  n: number;
  p50Ms: number;
  p99Ms: number;
}

const WARMUP = 300;
const SAMPLES = 2_000;

const issuer = await startDevIssuer({});
try {
  const memory = inMemoryCache();
  let serial = 0;
  const ports = partialFetcher({
    async createConnection({ password: _, matcherRequestId: __, ...rest }) {
      return { ...rest, fetcherConnectionId: crypto.randomUUID(), productName: 'matcher' } satisfies FetcherConnection;
    },
    async getSchema() {
      return [{ name: 'accounts', columns: [{ name: 'id' }, { name: 'balance' }] }];
    },
  });
  const containerFor = (name: string) => {
    const env = {
      ...lambdaEnvironment(lambdaFunction(name), tmpdir()),
      JWT_JWKS_URL: issuer.jwksUrl,
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: DEV_AUDIENCE,
    };
    const container = createContainer(env, () => Promise.reject(new Error('no secret is read by ARN here')));
    container
      .provide(fetcher, ports)
      .provide(connectionCache, memory.cache)
      .provide(schemaSnapshots, memory.snapshots)
      .provide(tenantSummaries, memory.summaries)
      .provide(tenantRegistry, memory.registry);
    return container;
  };
  const create = await createConnectionRoute(containerFor('create-connection'));
  const read = await getConnectionRoute(containerFor('get-connection'));
  const token = await issuer.sign({ scope: 'discovery:write discovery:read' });
  const body = () => ({
    configName: `warm-${serial++}`,
    databaseType: 'POSTGRESQL',
    host: 'db.example.com',
    port: 5432,
    databaseName: 'ledger',
    userName: 'matcher_ro',
    password: 'bench-password',
  });
  const expect = (status: number, result: { statusCode?: number; body?: string }) => {
    if (result.statusCode !== status) throw new Error(`expected ${status}, got ${result.statusCode}: ${result.body}`);
    return result;
  };
  const created = JSON.parse(expect(201, await create(createConnectionEvent({ body: body(), token }), lambdaContext())).body!);

  const scenarios: [string, () => Promise<unknown>][] = [
    ['201 create', async () => expect(201, await create(createConnectionEvent({ body: body(), token }), lambdaContext()))],
    [
      '422 invalid body',
      async () => expect(422, await create(createConnectionEvent({ body: { ...body(), port: 0 }, token }), lambdaContext())),
    ],
    [
      '200 read',
      async () =>
        expect(
          200,
          await read(
            routeEvent(routeNamed('get-connection'), { pathParameters: { connectionId: created.id }, token }),
            lambdaContext(29_000, 'get-connection'),
          ),
        ),
    ],
  ];
  // The verified-token cache's lever: every request with a token never seen, so its signature is checked.
  const fresh = await Promise.all(Array.from({ length: WARMUP + SAMPLES }, () => issuer.sign({ scope: 'discovery:write' })));
  scenarios.push([
    '201 create, a new token each time',
    async () => expect(201, await create(createConnectionEvent({ body: body(), token: fresh.pop()! }), lambdaContext())),
  ]);
  const results: WarmResult[] = [];
  for (const [scenario, work] of scenarios) {
    await timeEach(WARMUP, work);
    const samples = await timeEach(SAMPLES, work);
    results.push({ scenario, n: samples.length, p50Ms: quantile(samples, 0.5), p99Ms: quantile(samples, 0.99) });
  }
  await writeFile(process.argv[2]!, JSON.stringify(results));
} finally {
  await issuer.stop();
}
