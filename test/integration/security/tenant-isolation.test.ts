import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionId } from '../../../functions/discovery/connection-id.ts';
import type { Answer, CallOptions } from '../../support/service.ts';
import { validBody } from '../../support/service.ts';
import { startMultiTenantFetcher, tenantOfToken, type MultiTenantFetcher } from '../../support/tenant-identity.ts';

/**
 * Two tenants whose data overlaps (the same configName, the same Fetcher connection id in their own
 * Fetcher databases), each with its own Fetcher identity. Every route is driven as tenant A against
 * what tenant B owns; B's cache partition and B's Fetcher database must be exactly as they were.
 */
const A = randomUUID();
const B = randomUUID();
// The same Fetcher id in both tenants' Fetcher databases: Fetcher ids are unique per tenant only.
const SHARED_FETCHER_ID = '0190f3c2-7b1a-7c3e-9d2f-4a5b6c7d8e9f';

let m: MultiTenantFetcher;
let tokenA: string;
let tokenB: string;
const owned = { a: '', b: '', bOnlyName: `b-only-${randomUUID().slice(0, 8)}` };

const as =
  (token: string) =>
  (route: string, options: CallOptions = {}) =>
    m.service.call(route, { token, ...options });
let asA: ReturnType<typeof as>;
let asB: ReturnType<typeof as>;

const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, code });
};

const path = (id: string) => ({ pathParameters: { connectionId: id } });
const sharedOf = (tenant: string) => connectionId(tenant, SHARED_FETCHER_ID);

/** Everything of B's that A could read or change: B's cache partition and B's Fetcher database. */
const stateOfB = async () => ({
  cache: (await m.service.cacheItems(B)).sort((x, y) => String(x.sk).localeCompare(String(y.sk))),
  fetcher: m.service.fetcher.connections(B),
});

beforeAll(async () => {
  m = await startMultiTenantFetcher({ tenants: [A, B] });
  tokenA = await m.service.token({ tenantId: A });
  tokenB = await m.service.token({ tenantId: B });
  asA = as(tokenA);
  asB = as(tokenB);
  m.service.fetcher.seed([{ id: SHARED_FETCHER_ID, configName: 'ledger-shared', host: 'a-ledger.example.com', port: 5432 }], A);
  m.service.fetcher.seed([{ id: SHARED_FETCHER_ID, configName: 'ledger-shared', host: 'b-ledger.example.com', port: 6000 }], B);
  // B first: under one shared Fetcher identity A's create would then be a 409 that tells A B's name.
  const b = await asB('create-connection', { body: validBody({ configName: 'payroll-prod', host: 'b-payroll.example.com' }) });
  const a = await asA('create-connection', { body: validBody({ configName: 'payroll-prod', host: 'a-payroll.example.com' }) });
  expect([b.status, a.status], `${b.raw}\n${a.raw}`).toEqual([201, 201]);
  owned.a = a.body.id;
  owned.b = b.body.id;
  expect((await asB('create-connection', { body: validBody({ configName: owned.bOnlyName }) })).status).toBe(201);
  // Each tenant's sync brings its own seeded connection into its own cache.
  expect((await asB('refresh-discovery')).status).toBe(200);
  expect((await asA('refresh-discovery')).status).toBe(200);
}, 60_000);
afterAll(() => m?.stop());

describe('two tenants with overlapping data, each with its own Fetcher identity', () => {
  it('both own payroll-prod: two 201s, two ids, each in its own Fetcher database', () => {
    expect(owned.a).not.toBe(owned.b);
    const named = (tenant: string) => m.service.fetcher.connections(tenant).filter((c) => c.configName === 'payroll-prod');
    expect(named(A).map((c) => c.host)).toEqual(['a-payroll.example.com']);
    expect(named(B).map((c) => c.host)).toEqual(['b-payroll.example.com']);
    expect(named('default')).toEqual([]);
  });

  it('every Fetcher call so far carried the token of the tenant it acted for, and no call went without one', () => {
    const tenants = m.fetcherTenants();
    expect(tenants.length).toBeGreaterThan(0);
    expect(new Set(tenants)).toEqual(new Set([A, B]));
  });
});

interface IsolationCase {
  route: string;
  /** What B does first (its own state is then the baseline A must not change). */
  asB?: () => Promise<void>;
  /** What A does, with its assertions. */
  asA: () => Promise<void>;
}

const CASES: IsolationCase[] = [
  {
    route: 'create',
    asA: async () => {
      // A name B holds is free for A: no 409, nothing learnt about B's names.
      const answer = await asA('create-connection', { body: validBody({ configName: owned.bOnlyName, host: 'a-other.example.com' }) });
      expect(answer.status, answer.raw).toBe(201);
      expect(m.service.fetcher.connections(A).filter((c) => c.configName === owned.bOnlyName)).toHaveLength(1);
      // Its own name again is its own conflict, not B's.
      expectProblem(await asA('create-connection', { body: validBody({ configName: 'payroll-prod' }) }), 409, 'MTCH-0206');
    },
  },
  {
    route: 'get',
    asA: async () => {
      expectProblem(await asA('get-connection', path(owned.b)), 404, 'MTCH-0201');
      expectProblem(await asA('get-connection', path(sharedOf(B))), 404, 'MTCH-0201');
      const own = await asA('get-connection', path(sharedOf(A)));
      expect(own.status, own.raw).toBe(200);
      expect(own.body).toMatchObject({ id: sharedOf(A), configName: 'ledger-shared' });
    },
  },
  {
    route: 'schema',
    asA: async () => {
      expectProblem(await asA('get-connection-schema', path(owned.b)), 404, 'MTCH-0201');
      expectProblem(await asA('get-connection-schema', path(sharedOf(B))), 404, 'MTCH-0201');
    },
  },
  {
    route: 'test',
    asA: async () => {
      const tests = m.service.fetcher.calls('test');
      expectProblem(await asA('test-connection', path(owned.b)), 404, 'MTCH-0201');
      expectProblem(await asA('test-connection', path(sharedOf(B))), 404, 'MTCH-0201');
      expect(m.service.fetcher.calls('test')).toBe(tests);
      // Its own connection with the same Fetcher id is tested in its own Fetcher database.
      const own = await asA('test-connection', path(sharedOf(A)));
      expect(own.status, own.raw).toBe(200);
    },
  },
  {
    route: 'update',
    asA: async () => {
      expectProblem(await asA('update-connection', { ...path(owned.b), body: { port: 6543 } }), 404, 'MTCH-0201');
      expectProblem(await asA('update-connection', { ...path(sharedOf(B)), body: { port: 6543 } }), 404, 'MTCH-0201');
      // A's own connection with the same Fetcher id changes in A's Fetcher database only.
      const own = await asA('update-connection', { ...path(sharedOf(A)), body: { port: 7777 } });
      expect(own.status, own.raw).toBe(200);
      expect(m.service.fetcher.connections(A).find((c) => c.id === SHARED_FETCHER_ID)?.port).toBe(7777);
      // Renaming its own to a name B holds is A's business: B's stays B's.
      const renamed = await asA('update-connection', { ...path(owned.a), body: { configName: `renamed-${randomUUID().slice(0, 8)}` } });
      expect(renamed.status, renamed.raw).toBe(200);
    },
  },
  {
    route: 'list',
    asA: async () => {
      const answer = await asA('list-connections', { query: { limit: '200' } });
      expect(answer.status, answer.raw).toBe(200);
      const ids = new Set(answer.body.connections.map((c: { id: string }) => c.id));
      const ownIds = new Set(m.service.fetcher.connections(A).map((c) => connectionId(A, c.id)));
      expect(ids).toEqual(ownIds);
      for (const { id } of m.service.fetcher.connections(B)) expect(ids).not.toContain(connectionId(B, id));
    },
  },
  {
    route: 'list cursor',
    asB: async () => {
      const page = await asB('list-connections', { query: { limit: '1' } });
      expect(page.status, page.raw).toBe(200);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      cursorOfB = page.body.nextCursor;
    },
    asA: async () => {
      const refused = await asA('list-connections', { query: { limit: '1', cursor: cursorOfB } });
      expectProblem(refused, 422, 'MTCH-0005');
      expect(refused.body.errors).toEqual([expect.objectContaining({ location: 'query.cursor' })]);
    },
  },
  {
    route: 'status',
    asA: async () => {
      const answer = await asA('discovery-status');
      expect(answer.status, answer.raw).toBe(200);
      expect(answer.body.connectionCount).toBe(m.service.fetcher.connections(A).length);
      expect(answer.body.connectionCount).not.toBe(m.service.fetcher.connections(A).length + m.service.fetcher.connections(B).length);
    },
  },
  {
    route: 'refresh',
    asA: async () => {
      const lists = m.service.fetcher.requests.length;
      const answer = await asA('refresh-discovery');
      expect(answer.status, answer.raw).toBe(200);
      const listed = m.service.fetcher.requests.slice(lists).filter((r) => r.route === 'list');
      expect(listed.length).toBeGreaterThan(0);
      const ids = new Set(
        (await m.service.cacheItems(A)).filter((i) => String(i.sk).startsWith('CONN#')).map((i) => String(i.sk).slice(5)),
      );
      for (const { id } of m.service.fetcher.connections(B)) expect(ids).not.toContain(connectionId(B, id));
      for (const { id } of m.service.fetcher.connections(A)) expect(ids).toContain(connectionId(A, id));
    },
  },
  {
    route: 'idempotent replay',
    asB: async () => {
      idempotency.key = randomUUID();
      idempotency.body = validBody();
      const first = await asB('create-connection', { body: idempotency.body, headers: { 'idempotency-key': idempotency.key } });
      expect(first.status, first.raw).toBe(201);
      idempotency.bId = first.body.id;
    },
    asA: async () => {
      // The same key and the same body from A: A's own create, never B's answer replayed.
      const headers = { 'idempotency-key': idempotency.key };
      const first = await asA('create-connection', { body: idempotency.body, headers });
      expect(first.status, first.raw).toBe(201);
      expect(first.headers).not.toHaveProperty('idempotent-replayed');
      expect(first.body.id).not.toBe(idempotency.bId);
      const again = await asA('create-connection', { body: idempotency.body, headers });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
    },
  },
  {
    route: 'delete',
    asA: async () => {
      expectProblem(await asA('delete-connection', path(owned.b)), 404, 'MTCH-0201');
      expectProblem(await asA('delete-connection', path(sharedOf(B))), 404, 'MTCH-0201');
      // A deleting its own connection with the same Fetcher id deletes it in A's Fetcher database only.
      expect((await asA('delete-connection', path(sharedOf(A)))).status).toBe(204);
      expect(m.service.fetcher.connections(A).some((c) => c.id === SHARED_FETCHER_ID)).toBe(false);
      expect(m.service.fetcher.connections(B).some((c) => c.id === SHARED_FETCHER_ID)).toBe(true);
    },
  },
];
const idempotency = { key: '', body: {} as Record<string, unknown>, bId: '' };
let cursorOfB = '';

describe('tenant A on every route never reads, lists, counts, tests, refreshes, replays, updates, deletes or overwrites what B owns', () => {
  it.each(CASES.map((c) => [c.route, c] as const))('%s', async (_route, { asB: before, asA: act }) => {
    await before?.();
    const baseline = await stateOfB();
    const sent = m.service.fetcher.requests.length;
    await act();
    expect(await stateOfB()).toEqual(baseline);
    // Whatever A's calls sent to Fetcher went with a token for A, into A's Fetcher database.
    const byA = m.service.fetcher.requests.slice(sent).filter((r) => r.route !== 'health');
    expect(byA.map((r) => tenantOfToken(r.headers.authorization))).toEqual(byA.map(() => A));
  });

  it("gave A's client tokens for A only, and B's for B only", () => {
    expect(m.tokens.grants.length).toBeGreaterThanOrEqual(2);
    for (const grant of m.tokens.grants) expect(grant.clientId).toBe(m.clientOf(grant.tenantId!).clientId);
  });
});
