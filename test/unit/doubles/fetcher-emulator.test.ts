import { UnsecuredJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFetcherEmulator, type EmulatorOptions, type FetcherEmulator } from '../../doubles/fetcher-emulator.ts';

const CONNECTIONS = '/v1/management/connections';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOT_FOUND = {
  code: 'FET-1001',
  title: 'Entity Not Found',
  message: 'It was not possible to find the connection entity during the requested flow. Please review the data provided in the request.',
};
const CONFLICT = {
  code: 'FET-1002',
  title: 'Conflict',
  message:
    'An entity of type connection with the same unique attributes already exists. Please use different values to avoid conflicts and review the data provided in the request.',
};
const INVALID_ID = { code: 'FET-0404', title: 'Invalid Path Parameter', message: 'invalid connection id' };
const CONNECT_ERROR = {
  code: 500,
  title: 'Database Connection Error',
  message: 'The adapter failed to connect to the target data source. Check credentials and network access.',
};

let emulator: FetcherEmulator;
beforeEach(() => {
  emulator = createFetcherEmulator();
});

/** A token Fetcher reads unverified, as its tenant middleware does. */
const tenantToken = (tenantId: string) => new UnsecuredJWT({ tenantId }).encode();

interface Options {
  body?: unknown;
  headers?: Record<string, string>;
  tenant?: string;
}

const request = (method: string, target: string, { body, headers = {}, tenant }: Options = {}) => {
  const url = new URL(target, 'http://fetcher.local');
  return emulator.handle({
    method,
    path: url.pathname,
    target,
    query: url.searchParams,
    headers: {
      'content-type': 'application/json',
      ...(tenant ? { authorization: `Bearer ${tenantToken(tenant)}` } : {}),
      ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    },
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  });
};

const input = (overrides: Record<string, unknown> = {}) => ({
  configName: 'orders-db',
  type: 'POSTGRESQL',
  host: 'db.example.com',
  port: 5432,
  databaseName: 'orders',
  userName: 'reader',
  password: 'CANARY-password',
  ...overrides,
});

const create = (body: unknown = input(), { product = 'matcher', ...options }: Options & { product?: string } = {}) =>
  request('POST', CONNECTIONS, { ...options, body, headers: { 'X-Product-Name': product, ...options.headers } });

const created = (overrides: Record<string, unknown> = {}, options: Options & { product?: string } = {}) => {
  const answer = create(input(overrides), options);
  expect(answer.status).toBe(201);
  return answer.body as Record<string, any>;
};

describe('the Fetcher emulator: health and unknown routes', () => {
  it('answers GET /health with 200 healthy', () => {
    expect(request('GET', '/health')).toEqual({ status: 200, body: { status: 'healthy' } });
  });

  it("answers an unknown route with Fiber's plain-text 404", () => {
    expect(request('GET', '/v1/nothing')).toEqual({
      status: 404,
      headers: { 'Content-Type': 'text/plain' },
      body: 'Cannot GET /v1/nothing',
    });
    expect(request('PUT', `${CONNECTIONS}/0190f3c2-7b1a-7c3e-9d2f-3a4b5c6d7e8f`).status).toBe(404);
  });
});

describe('the Fetcher emulator: POST /v1/management/connections', () => {
  it('answers 201 with the ConnectionResponse: lower-cased product, a UUID v7, timestamps, never the password', () => {
    const answer = create(input(), { product: '  Matcher ' });
    expect(answer.status).toBe(201);
    const body = answer.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['id', 'productName', 'configName', 'type', 'host', 'port', 'databaseName', 'userName', 'createdAt', 'updatedAt'].sort(),
    );
    expect(body).toMatchObject({ productName: 'matcher', configName: 'orders-db', type: 'POSTGRESQL', port: 5432, userName: 'reader' });
    expect(body.id).toMatch(UUID);
    expect(new Date(body.createdAt as string).toISOString()).toBe(body.createdAt);
    expect(body.updatedAt).toBe(body.createdAt);
    expect(JSON.stringify(body)).not.toContain('CANARY-password');
    expect(emulator.connections()[0]).toMatchObject({ id: body.id, password: 'CANARY-password', tenant: 'default' });
  });

  it('returns schema, metadata and only the mode of ssl when they are set', () => {
    const body = created({ schema: 'ledger', metadata: { team: 'recon' }, ssl: { mode: 'verify-full', ca: 'CA-PEM', key: 'KEY-PEM' } });
    expect(body).toMatchObject({ schema: 'ledger', metadata: { team: 'recon' }, ssl: { mode: 'verify-full' } });
    expect(JSON.stringify(body)).not.toMatch(/CA-PEM|KEY-PEM/);
  });

  it('binds keys case-insensitively and ignores unknown fields, as Go does', () => {
    const { userName, password, ...rest } = input();
    expect(create({ ...rest, username: userName, PASSWORD: password, colour: 'blue' }).status).toBe(201);
  });

  it.each([
    ['missing', undefined],
    ['blank', '   '],
    ['with a space', 'mat cher'],
    ['over 100 characters', 'p'.repeat(101)],
  ])('refuses an X-Product-Name that is %s with 400 FET-0403', (_, product) => {
    const headers: Record<string, string> = product === undefined ? {} : { 'X-Product-Name': product };
    const answer = request('POST', CONNECTIONS, { body: input(), headers });
    expect(answer).toMatchObject({ status: 400, body: { code: 'FET-0403', title: 'Invalid header' } });
    expect(emulator.connections()).toEqual([]);
  });

  it('takes an X-Product-Name of exactly 100 characters', () => {
    expect(created({}, { product: 'P'.repeat(100) }).productName).toBe('p'.repeat(100));
  });

  it('refuses a body it cannot bind with 400 FET-0001 "unable to parse request body"', () => {
    const unparseable = { status: 400, body: { code: 'FET-0001', title: 'Invalid payload', message: 'unable to parse request body' } };
    expect(create('{"configName": ')).toEqual(unparseable);
    expect(create(input({ port: '5432' }))).toEqual(unparseable);
    expect(create(JSON.stringify(input()), { headers: { 'Content-Type': 'text/plain' } })).toEqual(unparseable);
  });

  it('refuses an empty body with 400 FET-0001 "empty request body"', () => {
    expect(create({})).toEqual({ status: 400, body: { code: 'FET-0001', title: 'Invalid payload', message: 'empty request body' } });
  });

  it('lists every missing required field with 400 FET-0402, keyed by JSON name', () => {
    const answer = create({ configName: 'orders-db', type: 'POSTGRESQL', host: 'db.example.com' });
    expect(answer).toMatchObject({ status: 400, body: { code: 'FET-0402', title: 'Missing Fields in Request' } });
    expect((answer.body as any).fields).toEqual({
      port: 'port is a required field',
      databaseName: 'databaseName is a required field',
      userName: 'userName is a required field',
      password: 'password is a required field',
    });
  });

  it('refuses invalid values with 400 FET-0001 Bad Request, keyed by JSON name', () => {
    const answer = create(input({ type: 'postgres', port: 70_000, host: 'db_1.example.com' }));
    expect(answer).toMatchObject({ status: 400, body: { code: 'FET-0001', title: 'Bad Request' } });
    expect(Object.keys((answer.body as any).fields).sort()).toEqual(['host', 'port', 'type']);
  });

  it('applies the domain rules to configName: FET-0402 for its characters, FET-0001 for its length', () => {
    expect(create(input({ configName: 'orders db' }))).toMatchObject({
      status: 400,
      body: { code: 'FET-0402', entityType: 'connection', fields: { config_name: expect.any(String) } },
    });
    expect(create(input({ configName: 'ab' }))).toMatchObject({
      status: 400,
      body: { code: 'FET-0001', entityType: 'connection', fields: { config_name: expect.any(String) } },
    });
  });

  it('requires ssl.mode and ssl.ca together, and a mode the database type knows', () => {
    expect(create(input({ ssl: { mode: 'require' } }))).toMatchObject({
      status: 400,
      body: { code: 'FET-0402', fields: { 'ssl.ca': expect.any(String) } },
    });
    expect(create(input({ ssl: { mode: 'strict', ca: 'CA' } }))).toMatchObject({
      status: 400,
      body: { code: 'FET-0001', fields: { 'ssl.mode': expect.any(String) } },
    });
    expect(create(input({ ssl: {} })).status).toBe(201);
  });

  it('answers 409 FET-1002 for a configName taken in the tenant, whatever the product', () => {
    created({}, { product: 'matcher' });
    expect(create(input(), { product: 'other' })).toEqual({ status: 409, body: CONFLICT });
    expect(create(input({ configName: ' orders-db ' }))).toEqual({ status: 409, body: CONFLICT });
    expect(emulator.connections()).toHaveLength(1);
  });
});

describe('the Fetcher emulator: GET /v1/management/connections', () => {
  const list = (query = '', options: Options = {}) => request('GET', `${CONNECTIONS}${query}`, options);

  it('answers items: [] with page 1, limit 10 and total 0 when nothing matches', () => {
    expect(list()).toEqual({ status: 200, body: { items: [], page: 1, limit: 10, total: 0 } });
  });

  it('pages by 10 by default, counting every match in total', () => {
    for (let i = 0; i < 12; i++) created({ configName: `orders-${i}` });
    const first = list().body as any;
    expect(first).toMatchObject({ page: 1, limit: 10, total: 12 });
    expect(first.items).toHaveLength(10);
    expect((list('?page=2').body as any).items).toHaveLength(2);
    expect((list('?limit=100').body as any).items).toHaveLength(12);
  });

  it.each([
    ['?limit=101', 'FET-0406'],
    ['?limit=0', 'FET-0405'],
    ['?page=0', 'FET-0405'],
    ['?page=two', 'FET-0405'],
    ['?sortOrder=sideways', 'FET-0407'],
  ])('refuses %s with 400 %s', (query, code) => {
    expect(list(query)).toMatchObject({ status: 400, body: { code } });
  });

  it('filters by X-Product-Name (lower-cased), lists every product without it, and refuses an invalid one', () => {
    created({ configName: 'orders-m' }, { product: 'matcher' });
    created({ configName: 'orders-o' }, { product: 'other' });
    const names = (headers: Record<string, string>) => (list('', { headers }).body as any).items.map((c: any) => c.configName);
    expect(names({ 'X-Product-Name': 'MATCHER' })).toEqual(['orders-m']);
    expect(names({}).sort()).toEqual(['orders-m', 'orders-o']);
    expect(names({ 'X-Product-Name': 'nobody' })).toEqual([]);
    expect(list('', { headers: { 'X-Product-Name': 'not valid' } })).toMatchObject({ status: 400, body: { code: 'FET-0403' } });
  });

  it('filters by type (any case) and by metadata, and sorts by creation, newest first unless asc', () => {
    created({ configName: 'first', metadata: { team: 'recon' } });
    created({ configName: 'second', type: 'MYSQL' });
    created({ configName: 'third', metadata: { team: 'recon' } });
    const names = (query: string) => (list(query).body as any).items.map((c: any) => c.configName);
    expect(names('')).toEqual(['third', 'second', 'first']);
    expect(names('?sortOrder=ASC')).toEqual(['first', 'second', 'third']);
    expect(names('?type=mysql')).toEqual(['second']);
    expect(names('?metadata.team=recon')).toEqual(['third', 'first']);
  });

  it('shows items as ConnectionResponse, without the password', () => {
    const body = created();
    expect((list().body as any).items).toEqual([body]);
  });
});

describe('the Fetcher emulator: routes on one connection', () => {
  const routes = [
    ['GET', ''],
    ['GET', '/schema'],
    ['POST', '/test'],
    ['PATCH', ''],
    ['DELETE', ''],
  ] as const;

  it.each(routes)('%s {id}%s answers 400 FET-0404 for an id that is not a UUID', (method, suffix) => {
    expect(request(method, `${CONNECTIONS}/not-a-uuid${suffix}`, { body: { host: 'x.example.com' } })).toEqual({
      status: 400,
      body: INVALID_ID,
    });
  });

  it.each(routes)('%s {id}%s answers 404 FET-1001 for an unknown UUID', (method, suffix) => {
    const answer = request(method, `${CONNECTIONS}/0190f3c2-7b1a-7c3e-9d2f-3a4b5c6d7e8f${suffix}`, { body: { host: 'x.example.com' } });
    expect(answer).toEqual({ status: 404, body: NOT_FOUND });
  });

  it('GET {id} answers the ConnectionResponse, by an id in any case and without X-Product-Name', () => {
    const body = created();
    expect(request('GET', `${CONNECTIONS}/${body.id}`)).toEqual({ status: 200, body });
    expect(request('GET', `${CONNECTIONS}/${String(body.id).toUpperCase()}`)).toEqual({ status: 200, body });
  });

  it("keeps each tenant's connections apart, by the token's tenantId claim (default without one)", () => {
    const theirs = created({}, { tenant: 'tenant-a' });
    expect(request('GET', `${CONNECTIONS}/${theirs.id}`)).toEqual({ status: 404, body: NOT_FOUND });
    expect(request('GET', `${CONNECTIONS}/${theirs.id}`, { tenant: 'tenant-b' }).status).toBe(404);
    expect(request('GET', `${CONNECTIONS}/${theirs.id}`, { tenant: 'tenant-a' })).toEqual({ status: 200, body: theirs });
    expect(created().configName).toBe(theirs.configName);
    expect(emulator.connections('tenant-a').map((c) => c.id)).toEqual([theirs.id]);
    expect((request('GET', CONNECTIONS, { tenant: 'tenant-b' }).body as any).items).toEqual([]);
  });

  it('GET {id}/schema answers the tables sorted by name, their fields sorted, and [] when there are none', () => {
    const body = created();
    expect(request('GET', `${CONNECTIONS}/${body.id}/schema`)).toEqual({
      status: 200,
      body: {
        id: body.id,
        configName: 'orders-db',
        databaseName: 'orders',
        type: 'POSTGRESQL',
        tables: [
          { name: 'accounts', fields: ['balance', 'created_at', 'currency', 'id'] },
          { name: 'transactions', fields: ['account_id', 'amount', 'booked_at', 'id', 'reference'] },
        ],
      },
    });
    emulator.setSchema('orders-db', [
      { name: 'zeta', fields: ['b', 'a'] },
      { name: 'alpha', fields: ['z', 'c'] },
    ]);
    expect((request('GET', `${CONNECTIONS}/${body.id}/schema`).body as any).tables).toEqual([
      { name: 'alpha', fields: ['c', 'z'] },
      { name: 'zeta', fields: ['a', 'b'] },
    ]);
    emulator.setSchema('orders-db', []);
    expect((request('GET', `${CONNECTIONS}/${body.id}/schema`).body as any).tables).toEqual([]);
  });

  it("GET {id}/schema answers 500 with a numeric code when the database can't be reached or read", () => {
    const body = created();
    emulator.setSchema('orders-db', 'connect-error');
    expect(request('GET', `${CONNECTIONS}/${body.id}/schema`)).toEqual({ status: 500, body: CONNECT_ERROR });
    emulator.setSchema('orders-db', 'retrieval-error');
    expect(request('GET', `${CONNECTIONS}/${body.id}/schema`)).toEqual({
      status: 500,
      body: { code: 500, title: 'Schema Retrieval Error', message: 'Failed to retrieve database schema information.' },
    });
  });

  it('POST {id}/test answers success with a latency, and 500 when the database cannot be reached', () => {
    const body = created();
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`)).toEqual({
      status: 200,
      body: { status: 'success', message: 'Connection successful', latencyMs: expect.any(Number) },
    });
    emulator.setSchema('orders-db', 'connect-error');
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`)).toEqual({ status: 500, body: CONNECT_ERROR });
  });

  it('PATCH {id} changes the given fields, bumps updatedAt, keeps the password out of the answer', async () => {
    const body = created();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const answer = request('PATCH', `${CONNECTIONS}/${body.id}`, { body: { host: 'db2.example.com', password: 'CANARY-new' } });
    expect(answer).toEqual({ status: 200, body: { ...body, host: 'db2.example.com', updatedAt: expect.any(String) } });
    expect((answer.body as any).updatedAt > body.updatedAt).toBe(true);
    expect(emulator.connections()[0]!.password).toBe('CANARY-new');
  });

  it('PATCH {id} refuses {} with 400 FET-0001, a taken name with 409 FET-1002, and invalid values with 400', () => {
    const body = created();
    created({ configName: 'taken' });
    const patch = (patchBody: unknown) => request('PATCH', `${CONNECTIONS}/${body.id}`, { body: patchBody });
    expect(patch({})).toEqual({ status: 400, body: { code: 'FET-0001', title: 'Invalid payload', message: 'empty request body' } });
    expect(patch({ configName: 'taken' })).toEqual({ status: 409, body: CONFLICT });
    expect(patch({ configName: 'orders-db' }).status).toBe(200);
    expect(patch({ configName: 'ab' })).toMatchObject({
      status: 400,
      body: { code: 'FET-0001', fields: { configName: expect.any(String) } },
    });
    expect(patch({ type: 'ORACLE', port: 0, host: 'db.example.com' }).status).toBe(200);
    expect(patch({ ssl: { mode: 'verify' } })).toMatchObject({
      status: 400,
      body: { code: 'FET-0402', fields: { 'ssl.ca': expect.any(String) } },
    });
    expect(emulator.connections().find((c) => c.id === body.id)).toMatchObject({ configName: 'orders-db', type: 'ORACLE', port: 5432 });
  });

  it('DELETE {id} answers 204 and soft-deletes: later calls answer 404 FET-1001, the list skips it, the name is free again', () => {
    const body = created();
    expect(request('DELETE', `${CONNECTIONS}/${body.id}`)).toEqual({ status: 204 });
    for (const [method, suffix] of routes) {
      expect(request(method, `${CONNECTIONS}/${body.id}${suffix}`, { body: { host: 'x.example.com' } })).toEqual({
        status: 404,
        body: NOT_FOUND,
      });
    }
    expect((request('GET', CONNECTIONS).body as any).items).toEqual([]);
    const again = created();
    expect(again.configName).toBe(body.configName);
    expect(again.id).not.toBe(body.id);
  });

  it('PATCH and DELETE {id} answer 409 FET-1021 while extraction jobs run on it, changing nothing; other routes and connections go on', () => {
    const body = created();
    const other = created({ configName: 'other-db' });
    emulator.setJobs(body.id.toUpperCase(), 'running');
    const busy = { status: 409, body: { code: 'FET-1021', title: 'Job In Progress', message: expect.any(String) } };
    expect(request('PATCH', `${CONNECTIONS}/${body.id}`, { body: { host: 'db2.example.com' } })).toEqual(busy);
    expect(request('DELETE', `${CONNECTIONS}/${body.id}`)).toEqual(busy);
    expect(request('GET', `${CONNECTIONS}/${body.id}`)).toEqual({ status: 200, body });
    expect(request('PATCH', `${CONNECTIONS}/${other.id}`, { body: { host: 'db2.example.com' } }).status).toBe(200);
    // An invalid body is refused as such first.
    expect(request('PATCH', `${CONNECTIONS}/${body.id}`, { body: {} }).status).toBe(400);

    emulator.setJobs(body.id, 'idle');
    expect(request('PATCH', `${CONNECTIONS}/${body.id}`, { body: { host: 'db2.example.com' } }).status).toBe(200);
    expect(request('DELETE', `${CONNECTIONS}/${body.id}`)).toEqual({ status: 204 });
  });
});

describe('the Fetcher emulator: the created-at window of a listing', () => {
  // 15:00 UTC on 30 November: "tomorrow" is 1 December, midnight.
  const NOW = new Date('2026-11-30T15:00:00Z');
  const withClock = (options: EmulatorOptions = {}) => {
    emulator = createFetcherEmulator({ now: () => NOW, ...options });
  };
  const seeded = (...createdAt: string[]) =>
    emulator.seed(createdAt.map((at, index) => ({ configName: `seeded-${index}`, createdAt: at })));
  const listed = (query = '') => {
    const answer = request('GET', `${CONNECTIONS}?limit=100${query}`);
    expect(answer.status).toBe(200);
    return (answer.body as any).items.map((c: any) => c.createdAt as string).sort();
  };

  it('lists without dates only what was created in [tomorrow − 1 month, tomorrow], both midnights included', () => {
    withClock();
    seeded('2026-10-31T23:59:59.999Z', '2026-11-01T00:00:00.000Z', '2026-11-30T14:00:00.000Z', '2026-12-01T00:00:00.000Z');
    expect(listed()).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-30T14:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });

  it('hides a connection created 14 months ago from an undated listing, and shows it to a window that covers it', () => {
    withClock();
    const [old] = seeded('2025-09-30T10:00:00.000Z');
    expect(listed()).toEqual([]);
    expect(listed('&startDate=2025-09-15&endDate=2025-10-10')).toEqual([old!.createdAt]);
  });

  it('takes the month range from MAX_PAGINATION_MONTH_DATE_RANGE', () => {
    withClock({ maxMonthRange: 3 });
    seeded('2026-08-31T23:00:00.000Z', '2026-09-01T00:00:00.000Z');
    expect(listed()).toEqual(['2026-09-01T00:00:00.000Z']);
  });

  it('ends the window at the midnight that begins endDate: what was created later that day is not listed', () => {
    withClock();
    seeded('2025-03-01T00:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-03-10T00:00:00.001Z');
    expect(listed('&startDate=2025-03-01&endDate=2025-03-10')).toEqual(['2025-03-01T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
  });

  it('clamps a range longer than the month range to its last N months', () => {
    withClock();
    seeded('2025-03-01T12:00:00.000Z', '2025-04-30T23:00:00.000Z', '2025-05-01T00:00:00.000Z', '2025-05-20T08:00:00.000Z');
    expect(listed('&startDate=2025-01-01&endDate=2025-06-01')).toEqual(['2025-05-01T00:00:00.000Z', '2025-05-20T08:00:00.000Z']);
  });

  it('ends a window given only its startDate a day later, and one given the same day for both a day later too', () => {
    withClock();
    seeded('2025-03-10T12:00:00.000Z', '2025-03-11T00:00:00.000Z', '2025-03-11T08:00:00.000Z');
    expect(listed('&startDate=2025-03-10')).toEqual(['2025-03-10T12:00:00.000Z', '2025-03-11T00:00:00.000Z']);
    expect(listed('&startDate=2025-03-10&endDate=2025-03-10')).toEqual(['2025-03-10T12:00:00.000Z', '2025-03-11T00:00:00.000Z']);
  });

  it('starts a window given only its endDate N months before today', () => {
    withClock();
    seeded('2026-10-29T23:00:00.000Z', '2026-10-30T00:00:00.000Z', '2026-11-20T00:00:00.000Z', '2026-11-20T10:00:00.000Z');
    expect(listed('&endDate=2026-11-20')).toEqual(['2026-10-30T00:00:00.000Z', '2026-11-20T00:00:00.000Z']);
  });

  it.each(['2025-1-01', '2025-02-30', '2025-13-01', 'yesterday', '2025-03-01T00:00:00Z'])(
    'refuses the date %s with 400 FET-0408',
    (date) => {
      withClock();
      expect(request('GET', `${CONNECTIONS}?startDate=${date}&endDate=2026-01-01`)).toEqual({
        status: 400,
        body: {
          code: 'FET-0408',
          title: 'Invalid Date Format Error',
          message: "The 'initialDate', 'finalDate', or both are in the incorrect format. Please use the 'yyyy-mm-dd' format and try again.",
        },
      });
    },
  );

  it('refuses an endDate before the startDate with 400 FET-0409, and a limit over 100 with 400 FET-0406', () => {
    withClock();
    expect(request('GET', `${CONNECTIONS}?startDate=2025-03-10&endDate=2025-03-09`)).toEqual({
      status: 400,
      body: {
        code: 'FET-0409',
        title: 'Invalid Final Date Error',
        message: "The 'finalDate' cannot be earlier than the 'initialDate'. Please verify the dates and try again.",
      },
    });
    expect(request('GET', `${CONNECTIONS}?limit=101&startDate=2025-03-01&endDate=2025-03-10`)).toEqual({
      status: 400,
      body: {
        code: 'FET-0406',
        title: 'Pagination Limit Exceeded',
        message: 'The pagination limit exceeds the maximum allowed of 100 items per page. Please verify the limit and try again.',
      },
    });
  });

  it('ignores empty values and unknown keys, and refuses keys that look like Mongo operators with 400 FET-0405', () => {
    withClock();
    seeded('2026-11-29T10:00:00.000Z');
    expect(listed('&startDate=&host=db.example.com')).toEqual(['2026-11-29T10:00:00.000Z']);
    expect(request('GET', `${CONNECTIONS}?$where=1`)).toMatchObject({ status: 400, body: { code: 'FET-0405' } });
  });
});

describe('the Fetcher emulator: multi-tenant internal connections', () => {
  const internalNames = ['midaz_onboarding', 'midaz_transaction', 'plugin_crm'];
  const names = (query: string, product = 'matcher') =>
    (request('GET', `${CONNECTIONS}${query}`, { headers: { 'X-Product-Name': product } }).body as any).items.map((c: any) => c.configName);

  it('puts the internal connections of other products first on page 1, whatever the product and dates asked for', () => {
    emulator = createFetcherEmulator({ internalConnections: true });
    created({ configName: 'ours' });
    expect(names('?limit=100')).toEqual([...internalNames, 'ours']);
    expect(names('?limit=100&startDate=2020-01-01&endDate=2020-01-15')).toEqual(internalNames);
    const page = request('GET', `${CONNECTIONS}?limit=1&page=1`, { headers: { 'X-Product-Name': 'matcher' } }).body as any;
    expect(page).toMatchObject({ limit: 1, total: 4 });
    expect(page.items).toHaveLength(4);
    expect(names('?limit=1&page=2')).toEqual([]);
  });

  it('filters them by type only', () => {
    emulator = createFetcherEmulator({ internalConnections: true });
    expect(names('?type=mongodb')).toEqual(['plugin_crm']);
    expect(names('?type=mongodb', 'someone-else')).toEqual(['plugin_crm']);
  });

  it('has none in single-tenant mode', () => {
    expect(names('')).toEqual([]);
  });
});

describe('the Fetcher emulator: seeding and altering connections directly', () => {
  it('seeds connections with any createdAt, per tenant, listed as created', () => {
    const [one] = emulator.seed([{ configName: 'seeded-a', createdAt: '2025-02-01T10:00:00.000Z' }], 'tenant-a');
    expect(emulator.connections('tenant-a')).toEqual([one]);
    expect(emulator.connections()).toEqual([]);
    const listedA = request('GET', `${CONNECTIONS}?startDate=2025-02-01&endDate=2025-02-02`, { tenant: 'tenant-a' }).body as any;
    expect(listedA.items).toEqual([expect.objectContaining({ id: one!.id, configName: 'seeded-a', productName: 'matcher' })]);
    expect(listedA.items[0].password).toBeUndefined();
  });

  it('alters a connection, and brings a deleted one back under the same id', () => {
    const body = created({ configName: 'comes-back' });
    expect(request('DELETE', `${CONNECTIONS}/${body.id}`).status).toBe(204);
    expect(emulator.connections()).toEqual([]);
    emulator.alter(body.id, { deletedAt: undefined, configName: 'came-back' });
    expect(request('GET', `${CONNECTIONS}/${body.id}`)).toMatchObject({ status: 200, body: { id: body.id, configName: 'came-back' } });
    expect(() => emulator.alter('0190f3c2-7b1a-7c3e-9d2f-000000000000', {})).toThrow(/no connection/);
  });
});

describe('the Fetcher emulator: the test route limit and a failing database', () => {
  let clock = new Date(0);
  beforeEach(() => {
    clock = new Date(1_000_000);
    emulator = createFetcherEmulator({ now: () => clock });
  });

  it('allows 10 tests a minute per connection, then answers 429 with the wait in its message and no Retry-After', () => {
    const body = created();
    const other = created({ configName: 'other-db' });
    const test = (id: string) => request('POST', `${CONNECTIONS}/${id}/test`);
    for (let i = 0; i < 10; i++) {
      expect(test(body.id).status).toBe(200);
      clock = new Date(clock.getTime() + 1_000);
    }
    const refused = test(body.id);
    expect(refused).toEqual({
      status: 429,
      body: { code: 429, title: 'Rate Limit Exceeded', message: 'Connection test limit reached. Try again in 50 seconds.' },
    });
    expect(refused.headers).toBeUndefined();
    // Another connection has its own limit; the first frees up as its oldest test leaves the minute.
    expect(test(other.id).status).toBe(200);
    clock = new Date(clock.getTime() + 50_000);
    expect(test(body.id).status).toBe(200);
    expect(test(body.id).status).toBe(429);
  });

  it("keeps each tenant's limit apart", () => {
    const body = created({}, { tenant: 'tenant-a' });
    for (let i = 0; i < 10; i++) request('POST', `${CONNECTIONS}/${body.id}/test`, { tenant: 'tenant-a' });
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`, { tenant: 'tenant-a' }).status).toBe(429);
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`, { tenant: 'tenant-b' }).status).toBe(404);
  });

  it('fails the test and the schema read of a connection whose database is down, until it is up again', () => {
    const body = created();
    emulator.setDatabase('orders-db', 'down');
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`)).toEqual({ status: 500, body: CONNECT_ERROR });
    expect(request('GET', `${CONNECTIONS}/${body.id}/schema`)).toEqual({ status: 500, body: CONNECT_ERROR });
    emulator.setDatabase('orders-db', 'up');
    expect(request('POST', `${CONNECTIONS}/${body.id}/test`).status).toBe(200);
    expect(request('GET', `${CONNECTIONS}/${body.id}/schema`).status).toBe(200);
  });
});
