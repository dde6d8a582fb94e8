import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDynamoDBCalls } from '../../support/dynamodb-calls.ts';
import { seedConnections, type SeededConnection } from '../../support/seed-connections.ts';
import { startService, type Answer, type TestService } from '../../support/service.ts';

const TENANTS = { big: randomUUID(), other: randomUUID() };
const SIZE = 1_000;
const LIMIT = 37;

let service: TestService;
let seeded: SeededConnection[];
let recorder: ReturnType<typeof recordDynamoDBCalls>;
let bigToken: string;
let otherToken: string;

beforeAll(async () => {
  // Fresh tenants each run: the filters see this file's connections and no others.
  service = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
  const client = await service.dynamodbClient();
  [seeded] = await Promise.all([seedConnections(client, TENANTS.big, SIZE), seedConnections(client, TENANTS.other, 80)]);
  recorder = recordDynamoDBCalls(client);
  bigToken = await service.token({ tenantId: TENANTS.big, scope: 'discovery:read' });
  otherToken = await service.token({ tenantId: TENANTS.other, scope: 'discovery:read' });
}, 120_000);
afterAll(async () => {
  recorder?.stop();
  await service?.stop();
});

const list = (query: Record<string, string>, token = bigToken) => service.call('list-connections', { query, token });

/** Every page of a filter, following nextCursor to the end; each page's DynamoDB calls checked as it goes. */
const walk = async (filter: Record<string, string>, limit = LIMIT) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { result: answer, calls } = await recorder.during(() => list({ ...filter, limit: String(limit), ...(cursor ? { cursor } : {}) }));
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.body.connections.length).toBeLessThanOrEqual(limit);
    // A page is one Query of one index partition (limit + 1 items at most) and the summary's GetItem,
    // whatever the tenant's size and however few connections the filter matches.
    expect(calls.map((call) => call.command).sort()).toEqual(['GetItemCommand', 'QueryCommand']);
    const query = calls.find((call) => call.command === 'QueryCommand')!;
    expect(query.input.Limit).toBe(limit + 1);
    expect(query.input.FilterExpression).toBeUndefined();
    expect(query.output.ScannedCount).toBeLessThanOrEqual(limit + 1);
    expect(query.output.ScannedCount).toBe(query.output.Count);
    ids.push(...answer.body.connections.map((connection: { id: string }) => connection.id));
    cursor = answer.body.nextCursor;
    if (cursor) expect(answer.body.connections).toHaveLength(limit);
    pages++;
  } while (cursor);
  return { ids, pages };
};

const FILTERS: [string, Record<string, string>, (c: SeededConnection) => boolean][] = [
  ['no filter', {}, () => true],
  ['status AVAILABLE', { status: 'AVAILABLE' }, (c) => c.status === 'AVAILABLE'],
  ['status UNREACHABLE', { status: 'UNREACHABLE' }, (c) => c.status === 'UNREACHABLE'],
  ['status unknown (any case)', { status: 'unknown' }, (c) => c.status === 'UNKNOWN'],
  ['databaseType MYSQL', { databaseType: 'MYSQL' }, (c) => c.databaseType === 'MYSQL'],
  ['databaseType alias pg', { databaseType: 'pg' }, (c) => c.databaseType === 'POSTGRESQL'],
  [
    'status UNKNOWN and databaseType mssql',
    { status: 'UNKNOWN', databaseType: 'mssql' },
    (c) => c.status === 'UNKNOWN' && c.databaseType === 'SQL_SERVER',
  ],
];

describe('GET /v1/discovery/connections: 1 000 connections walked to the end', () => {
  it.each(FILTERS)(
    '%s: every match exactly once, in id order, then no cursor',
    async (_name, filter, matches) => {
      const expected = seeded
        .filter(matches)
        .map((c) => c.id)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const { ids, pages } = await walk(filter);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / LIMIT)));
    },
    60_000,
  );

  it('gives the same pages in the same order when walked again, with any page size', async () => {
    const first = await walk({ status: 'AVAILABLE' });
    const again = await walk({ status: 'AVAILABLE' }, 200);
    expect(again.ids).toEqual(first.ids);
  }, 60_000);

  it('answers a client that sends no limit and no cursor a complete first page of 50 and a nextCursor', async () => {
    const answer = await list({});
    expect(answer.status, answer.raw).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['connections', 'nextCursor']);
    expect(answer.body.connections).toHaveLength(50);
    expect(answer.body.connections.map((c: { id: string }) => c.id)).toEqual(
      seeded
        .map((c) => c.id)
        .sort()
        .slice(0, 50),
    );
    for (const connection of answer.body.connections) {
      expect(Object.keys(connection).sort()).toEqual(['configName', 'databaseType', 'id', 'lastSeenAt', 'schemaDiscovered', 'status']);
    }
    expect(typeof answer.body.nextCursor).toBe('string');
  });
});

describe('GET /v1/discovery/connections: cursors', () => {
  const firstPage = async (filter: Record<string, string> = {}, token = bigToken): Promise<Answer> => {
    const answer = await list({ ...filter, limit: '10' }, token);
    expect(answer.body.nextCursor, answer.raw).toEqual(expect.any(String));
    return answer;
  };

  const expectCursorRefused = (answer: Answer) => {
    expect(answer.status, answer.raw).toBe(422);
    expect(answer.body.code).toBe('MTCH-0005');
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ location: 'query.cursor', message: expect.any(String) });
    // A cursor is long and opaque: it is not echoed back.
    expect(answer.body.errors[0].value).toBeUndefined();
    expect(answer.body.connections).toBeUndefined();
  };

  it('follows its own cursor', async () => {
    const { body } = await firstPage();
    const next = await list({ limit: '10', cursor: body.nextCursor });
    expect(next.status, next.raw).toBe(200);
    expect(next.body.connections[0].id > body.connections.at(-1).id).toBe(true);
  });

  it('refuses a forged cursor: any one character changed, in the position or in the signature', async () => {
    const { nextCursor } = (await firstPage()).body as { nextCursor: string };
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const at of [0, 5, nextCursor.indexOf('.') - 1, nextCursor.indexOf('.') + 1, nextCursor.length - 2]) {
      expectCursorRefused(await list({ cursor: flip(nextCursor, at) }));
    }
    // A position made up by the client, signed with a guess.
    const payload = Buffer.from(JSON.stringify([TENANTS.big, '|', 'ffffffff'])).toString('base64url');
    expectCursorRefused(await list({ cursor: `${payload}.${nextCursor.split('.')[1]}` }));
  });

  it('refuses a truncated cursor and things that are not cursors', async () => {
    const { nextCursor } = (await firstPage()).body as { nextCursor: string };
    for (const cursor of [
      nextCursor.slice(0, -1),
      nextCursor.slice(0, nextCursor.indexOf('.')),
      nextCursor.slice(0, 10),
      'abc',
      `${nextCursor}.x`,
    ]) {
      expectCursorRefused(await list({ cursor }));
    }
    expectCursorRefused(await list({ cursor: '' }));
    expectCursorRefused(await list({ cursor: 'x'.repeat(2_000) }));
  });

  it("refuses another tenant's cursor, never answering that tenant's page", async () => {
    const foreign = (await firstPage({}, otherToken)).body.nextCursor as string;
    expectCursorRefused(await list({ cursor: foreign }));
    expectCursorRefused(await list({ cursor: (await firstPage()).body.nextCursor }, otherToken));
  });

  it('refuses a cursor made for other filters, and accepts it with an alias of the same filter', async () => {
    const byStatus = (await firstPage({ status: 'AVAILABLE' })).body.nextCursor as string;
    expectCursorRefused(await list({ cursor: byStatus }));
    expectCursorRefused(await list({ cursor: byStatus, status: 'UNREACHABLE' }));
    expectCursorRefused(await list({ cursor: byStatus, status: 'AVAILABLE', databaseType: 'MYSQL' }));
    expect((await list({ cursor: byStatus, status: 'available' })).status).toBe(200);

    const byType = (await firstPage({ databaseType: 'POSTGRESQL' })).body.nextCursor as string;
    expect((await list({ cursor: byType, databaseType: 'postgres' })).status).toBe(200);
    expectCursorRefused(await list({ cursor: byType, databaseType: 'MYSQL' }));
  });
});
