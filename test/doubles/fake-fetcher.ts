import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { decodeJwt } from 'jose';
import { readRequestBody } from './read-request-body.ts';
import {
  fetcherError,
  parseListQuery,
  productNameOf,
  unparseable,
  validateCreate,
  type CreateInput,
  type FetcherError,
} from './fake-fetcher-rules.ts';

export type FakeRoute = 'health' | 'create' | 'list' | 'get' | 'schema' | 'test' | 'update' | 'delete';

/** A programmed misbehaviour for one route, used `times` times (forever when unset). */
export interface Fault {
  /** Wait this long first (or, with phase 'after', after the real work is done). */
  delayMs?: number;
  /** Answer this instead of the real answer. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * reset: destroy the socket before answering; truncate: send the headers and half a body, then
   * destroy it; redirect: `status` (307) to `location`; oversized: a body of `bytes`; malformed: bad JSON.
   */
  action?: 'reset' | 'truncate' | 'redirect' | 'oversized' | 'malformed';
  location?: string;
  bytes?: number;
  /** 'after': do the real work (e.g. store the connection), then misbehave. */
  phase?: 'before' | 'after';
  times?: number;
}

export interface RecordedRequest {
  route: FakeRoute | 'unknown';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface StoredConnection extends CreateInput {
  id: string;
  tenant: string;
  productName?: string;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
}

export interface Table {
  name: string;
  fields: string[];
}

export type SchemaProgramme = Table[] | 'connect-error' | 'retrieval-error';

export interface FakeFetcherOptions {
  port?: number;
  /**
   * When set, every business route requires `Authorization: Bearer <token>`, answered as lib-auth
   * does in plain text: 401 without a token; with a fixed token, 403 for any other; with a check,
   * 401 for a token it refuses (the auth service's verdict on an expired or revoked token).
   */
  token?: string | ((token: string) => boolean);
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

export interface FakeFetcher {
  url: string;
  requests: RecordedRequest[];
  connections(tenant?: string): StoredConnection[];
  inject(route: FakeRoute, fault: Fault): void;
  clearFaults(): void;
  /** The schema answer for a configName (the demo tables when unset). */
  setSchema(configName: string, programme: SchemaProgramme): void;
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY = 1024 * 1024;

/** Demo tables, shaped as Fetcher answers them: sorted by name, fields sorted. */
export const demoTables = (type: string): Table[] => {
  const tables = [
    { name: 'accounts', fields: ['balance', 'created_at', 'currency', 'id'] },
    { name: 'transactions', fields: ['account_id', 'amount', 'booked_at', 'id', 'reference'] },
  ];
  return type === 'ORACLE' ? tables.map((t) => ({ name: t.name.toUpperCase(), fields: t.fields.map((f) => f.toUpperCase()) })) : tables;
};

const notFound = () =>
  fetcherError(
    404,
    'FET-1001',
    'Entity Not Found',
    'It was not possible to find the connection entity during the requested flow. Please review the data provided in the request.',
  );
const conflict = () =>
  fetcherError(
    409,
    'FET-1002',
    'Conflict',
    'An entity of type connection with the same unique attributes already exists. Please use different values to avoid conflicts and review the data provided in the request.',
  );
const connectError = () =>
  fetcherError(
    500,
    500,
    'Database Connection Error',
    'The adapter failed to connect to the target data source. Check credentials and network access.',
  );

const view = (c: StoredConnection) => ({
  id: c.id,
  ...(c.productName ? { productName: c.productName } : {}),
  configName: c.configName,
  type: c.type,
  host: c.host,
  port: c.port,
  databaseName: c.databaseName,
  ...(c.schema ? { schema: c.schema } : {}),
  userName: c.userName,
  ...(c.ssl?.mode ? { ssl: { mode: c.ssl.mode } } : {}),
  ...(c.metadata ? { metadata: c.metadata } : {}),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const routeOf = (method: string, path: string): { route: FakeRoute | 'unknown'; id?: string } => {
  if (method === 'GET' && path === '/health') return { route: 'health' };
  if (path === '/v1/management/connections') return { route: method === 'POST' ? 'create' : method === 'GET' ? 'list' : 'unknown' };
  const match = /^\/v1\/management\/connections\/([^/]+)(\/schema|\/test)?$/.exec(path);
  if (!match) return { route: 'unknown' };
  const id = decodeURIComponent(match[1]!);
  if (match[2] === '/schema' && method === 'GET') return { route: 'schema', id };
  if (match[2] === '/test' && method === 'POST') return { route: 'test', id };
  if (match[2]) return { route: 'unknown' };
  const byMethod: Record<string, FakeRoute> = { GET: 'get', PATCH: 'update', DELETE: 'delete' };
  return byMethod[method] ? { route: byMethod[method], id } : { route: 'unknown' };
};

// Multi-tenant Fetcher routes by the token's tenantId claim, read unverified (§4).
const tenantOf = (authorization: string | undefined): string => {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return 'default';
  try {
    const claim = decodeJwt(token).tenantId;
    return typeof claim === 'string' ? claim : 'default';
  } catch {
    return 'default';
  }
};

/**
 * A faithful fake of Fetcher's Manager API (reference/fetcher-api.md §10) on loopback, with fault
 * injection for resilience tests. It never dials a database.
 */
export const startFakeFetcher = async ({ port = 0, token, tls }: FakeFetcherOptions = {}): Promise<FakeFetcher> => {
  const store: StoredConnection[] = [];
  const requests: RecordedRequest[] = [];
  const faults = new Map<FakeRoute, Fault[]>();
  const schemas = new Map<string, SchemaProgramme>();

  const takeFault = (route: FakeRoute): Fault | undefined => {
    const queue = faults.get(route);
    const fault = queue?.[0];
    if (!fault) return undefined;
    if (fault.times !== undefined && --fault.times <= 0) queue.shift();
    return fault;
  };

  const live = (tenant: string) => store.filter((c) => c.tenant === tenant && !c.deletedAt);
  const find = (tenant: string, id: string) => live(tenant).find((c) => c.id === id);

  const handle = (
    route: FakeRoute,
    id: string | undefined,
    req: IncomingMessage,
    url: URL,
    rawBody: string,
    tenant: string,
  ): { status: number; body?: unknown } | FetcherError => {
    if (id !== undefined && !UUID.test(id)) return fetcherError(400, 'FET-0404', 'Invalid Path Parameter', 'invalid connection id');
    const productHeader = req.headers['x-product-name'] as string | undefined;
    switch (route) {
      case 'health':
        return { status: 200, body: { status: 'healthy' } };
      case 'create': {
        const product = productNameOf(productHeader, true);
        if (product.error) return product.error;
        if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) return unparseable();
        let parsed: unknown;
        try {
          parsed = JSON.parse(rawBody);
        } catch {
          return unparseable();
        }
        const { input, error } = validateCreate(parsed);
        if (error) return error;
        if (live(tenant).some((c) => c.configName === input!.configName)) return conflict();
        const now = new Date().toISOString();
        const connection: StoredConnection = {
          ...input!,
          id: randomUUID(),
          tenant,
          productName: product.value!,
          createdAt: now,
          updatedAt: now,
        };
        store.push(connection);
        return { status: 201, body: view(connection) };
      }
      case 'list': {
        const product = productNameOf(productHeader, false);
        if (product.error) return product.error;
        const { query, error } = parseListQuery(url.searchParams);
        if (error) return error;
        const q = query!;
        const matching = live(tenant)
          .filter((c) => !product.value || c.productName === product.value)
          .filter((c) => !q.type || c.type === q.type)
          .filter((c) => q.metadata.every(([key, value]) => String(c.metadata?.[key]) === value))
          .sort((a, b) => (q.sortOrder === 'asc' ? 1 : -1) * a.createdAt.localeCompare(b.createdAt));
        const items = matching.slice((q.page - 1) * q.limit, q.page * q.limit).map(view);
        return { status: 200, body: { items, page: q.page, limit: q.limit, total: matching.length } };
      }
      case 'get': {
        const connection = find(tenant, id!);
        return connection ? { status: 200, body: view(connection) } : notFound();
      }
      case 'schema': {
        const connection = find(tenant, id!);
        if (!connection) return notFound();
        const programme = schemas.get(connection.configName) ?? demoTables(connection.type);
        if (programme === 'connect-error') return connectError();
        if (programme === 'retrieval-error')
          return fetcherError(500, 500, 'Schema Retrieval Error', 'Failed to retrieve database schema information.');
        const tables = [...programme]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((t) => ({ name: t.name, fields: [...t.fields].sort() }));
        return {
          status: 200,
          body: {
            id: connection.id,
            configName: connection.configName,
            databaseName: connection.databaseName,
            type: connection.type,
            tables,
          },
        };
      }
      case 'test': {
        const connection = find(tenant, id!);
        if (!connection) return notFound();
        return schemas.get(connection.configName) === 'connect-error'
          ? connectError()
          : { status: 200, body: { status: 'success', message: 'Connection successful', latencyMs: 3 } };
      }
      case 'update': {
        const connection = find(tenant, id!);
        if (!connection) return notFound();
        let patch: Record<string, unknown>;
        try {
          patch = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          return unparseable();
        }
        if (typeof patch !== 'object' || patch === null || Object.keys(patch).length === 0)
          return fetcherError(400, 'FET-0001', 'Invalid payload', 'empty request body');
        const rename = patch.configName;
        if (typeof rename === 'string' && rename !== connection.configName && live(tenant).some((c) => c.configName === rename))
          return conflict();
        const allowed = ['configName', 'type', 'host', 'port', 'databaseName', 'schema', 'userName', 'password', 'metadata'] as const;
        for (const key of allowed) if (patch[key] !== undefined) (connection as unknown as Record<string, unknown>)[key] = patch[key];
        connection.updatedAt = new Date().toISOString();
        return { status: 200, body: view(connection) };
      }
      case 'delete': {
        const connection = find(tenant, id!);
        if (!connection) return notFound();
        connection.deletedAt = new Date().toISOString();
        return { status: 204 };
      }
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const misbehave = (res: ServerResponse, fault: Fault): boolean => {
    switch (fault.action) {
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'truncate':
        res.writeHead(fault.status ?? 201, { 'Content-Type': 'application/json', 'Content-Length': '400' });
        res.write('{"id": "0190f3c2-7b1a-7c3e-9d2f-');
        setTimeout(() => res.socket?.destroy(), 20);
        return true;
      case 'redirect':
        res.writeHead(fault.status ?? 307, { Location: fault.location ?? '/' }).end();
        return true;
      case 'oversized':
        res
          .writeHead(fault.status ?? 201, { 'Content-Type': 'application/json' })
          .end(`{"pad":"${'x'.repeat(fault.bytes ?? 8 * 1024 * 1024)}"}`);
        return true;
      case 'malformed':
        res.writeHead(fault.status ?? 201, { 'Content-Type': 'application/json' }).end('{"id": "not json');
        return true;
      default:
        if (fault.status === undefined) return false;
        send(res, fault.status, fault.body, fault.headers);
        return true;
    }
  };

  const sleep = (ms: number | undefined) => (ms ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined);

  const listener: RequestListener = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fetcher.local');
    const { route, id } = routeOf(req.method ?? 'GET', url.pathname);
    const read = await readRequestBody(req, MAX_BODY);
    // Fiber's own answer to a body over its limit.
    if (read === 'too-large') return void res.writeHead(413, { 'Content-Type': 'text/plain' }).end('Request Entity Too Large');
    const rawBody = read.toString('utf8');
    let body: unknown = rawBody;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      /* recorded as text */
    }
    requests.push({ route, method: req.method ?? 'GET', path: url.pathname + url.search, headers: { ...req.headers }, body });
    res.setHeader('X-Request-Id', (req.headers['x-request-id'] as string | undefined) ?? randomUUID());

    if (route === 'unknown') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Cannot ${req.method} ${url.pathname}`);
      return;
    }
    if (token !== undefined && route !== 'health') {
      const authorization = req.headers.authorization ?? '';
      if (!/^Bearer .+/i.test(authorization)) return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Missing Token');
      const presented = authorization.slice(7);
      if (typeof token === 'function' && !token(presented))
        return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Invalid Token');
      if (typeof token === 'string' && presented !== token)
        return void res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
    }

    const fault = takeFault(route);
    if (fault && fault.phase !== 'after') {
      await sleep(fault.delayMs);
      if (misbehave(res, fault)) return;
    }
    const answer = handle(route, id, req, url, rawBody, tenantOf(req.headers.authorization));
    if (fault?.phase === 'after') {
      await sleep(fault.delayMs);
      if (misbehave(res, fault)) return;
    }
    send(res, answer.status, answer.body);
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as { port: number };

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${boundPort}`,
    requests,
    connections: (tenant = 'default') => live(tenant),
    inject: (route, fault) => faults.set(route, [...(faults.get(route) ?? []), { ...fault }]),
    clearFaults: () => faults.clear(),
    setSchema: (configName, programme) => schemas.set(configName, programme),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
