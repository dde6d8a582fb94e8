import { decodeJwt } from 'jose';
import { v7 as uuidV7 } from 'uuid';
import { conflict, connectError, invalidId, notFound, retrievalError, unparseable, type FetcherError } from './fetcher-errors.ts';
import { parseListQuery } from './fetcher-list-query.ts';
import { fetcherRouteOf, type FetcherAnswer, type FetcherRequest } from './fetcher-route.ts';
import { productNameOf, validateCreate, validateUpdate, type CreateInput } from './fetcher-rules.ts';
import { createTestLimiter } from './fetcher-test-limit.ts';

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

/** What GET /schema (and POST /test) answer for a connection: its tables, or a failure to reach its database. */
export type SchemaProgramme = Table[] | 'connect-error' | 'retrieval-error';

/** Whether a connection's database answers Fetcher's dial: `down` fails its test and its schema read alike. */
export type DatabaseProgramme = 'up' | 'down';

export interface EmulatorOptions {
  /** The clock of the test route's rate limit. */
  now?: () => number;
}

export interface FetcherEmulator {
  handle(request: FetcherRequest): FetcherAnswer;
  /** The live (not deleted) connections of a tenant. */
  connections(tenant?: string): StoredConnection[];
  /** The schema answer for a configName (the demo tables when unset). */
  setSchema(configName: string, programme: SchemaProgramme): void;
  /** Takes a configName's database down (or back up): Fetcher's dial fails with Database Connection Error. */
  setDatabase(configName: string, programme: DatabaseProgramme): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Demo tables for the schema answer, upper-cased for Oracle as Oracle names them. */
export const demoTables = (type: string): Table[] => {
  const tables = [
    { name: 'accounts', fields: ['balance', 'created_at', 'currency', 'id'] },
    { name: 'transactions', fields: ['account_id', 'amount', 'booked_at', 'id', 'reference'] },
  ];
  return type === 'ORACLE' ? tables.map((t) => ({ name: t.name.toUpperCase(), fields: t.fields.map((f) => f.toUpperCase()) })) : tables;
};

// Multi-tenant Fetcher picks the tenant's database by the token's tenantId claim, read unverified.
const tenantOf = (authorization: string | undefined): string => {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return 'default';
  try {
    const claim = decodeJwt(token).tenantId;
    return typeof claim === 'string' && claim !== '' ? claim : 'default';
  } catch {
    return 'default';
  }
};

/** ConnectionResponse: empty optional fields omitted, ssl reduced to its mode, never the password. */
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

// Fiber binds a body by its Content-Type; anything but JSON is unparseable here.
const jsonBody = (request: FetcherRequest): { value?: unknown; error?: FetcherError } => {
  if (!/^application\/json/i.test(request.headers['content-type'] ?? '')) return { error: unparseable() };
  try {
    return { value: JSON.parse(request.body) as unknown };
  } catch {
    return { error: unparseable() };
  }
};

/**
 * Fetcher's Manager API in memory: connections per tenant, soft deletes, configName unique per tenant
 * across products, schemas answered from a programme. It never dials a database.
 */
export const createFetcherEmulator = ({ now = Date.now }: EmulatorOptions = {}): FetcherEmulator => {
  const tenants = new Map<string, StoredConnection[]>();
  const schemas = new Map<string, SchemaProgramme>();
  const databasesDown = new Set<string>();
  const testLimiter = createTestLimiter(now);

  const stored = (tenant: string) => tenants.get(tenant) ?? tenants.set(tenant, []).get(tenant)!;
  const live = (tenant: string) => stored(tenant).filter((c) => !c.deletedAt);
  const nameTaken = (tenant: string, configName: string) => live(tenant).some((c) => c.configName === configName);

  type Handler = (request: FetcherRequest, tenant: string, connection: StoredConnection) => FetcherAnswer | FetcherError;

  // The routes on one connection: the id is a UUID of a live connection of the tenant, or the answer is 400 or 404.
  const byId: Record<'get' | 'schema' | 'test' | 'update' | 'delete', Handler> = {
    get: (_request, _tenant, connection) => ({ status: 200, body: view(connection) }),
    schema: (_request, _tenant, connection) => {
      const programme = schemas.get(connection.configName) ?? demoTables(connection.type);
      if (databasesDown.has(connection.configName)) return connectError();
      if (programme === 'connect-error') return connectError();
      if (programme === 'retrieval-error') return retrievalError();
      const tables = [...programme]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) => ({ name: t.name, fields: [...t.fields].sort() }));
      const { id, configName, databaseName, type } = connection;
      return { status: 200, body: { id, configName, databaseName, type, tables } };
    },
    // Every test counts against the connection's limit, failed ones too: Fetcher limits before it dials.
    test: (_request, tenant, connection) =>
      testLimiter.admit(`${tenant}/${connection.id}`) ??
      (schemas.get(connection.configName) === 'connect-error' || databasesDown.has(connection.configName)
        ? connectError()
        : { status: 200, body: { status: 'success', message: 'Connection successful', latencyMs: 3 } }),
    update: (request, tenant, connection) => {
      const { value, error } = jsonBody(request);
      if (error) return error;
      const { patch, error: invalid } = validateUpdate(value, connection.type);
      if (!patch) return invalid!;
      if (patch.configName !== undefined && patch.configName !== connection.configName && nameTaken(tenant, patch.configName))
        return conflict();
      Object.assign(connection, patch, { updatedAt: new Date().toISOString() });
      return { status: 200, body: view(connection) };
    },
    delete: (_request, _tenant, connection) => {
      connection.deletedAt = new Date().toISOString();
      return { status: 204 };
    },
  };

  const create = (request: FetcherRequest, tenant: string): FetcherAnswer | FetcherError => {
    const product = productNameOf(request.headers['x-product-name'] as string | undefined, true);
    if (product.error) return product.error;
    const { value, error } = jsonBody(request);
    if (error) return error;
    const { input, error: invalid } = validateCreate(value);
    if (!input) return invalid!;
    if (nameTaken(tenant, input.configName)) return conflict();
    const now = new Date().toISOString();
    const connection: StoredConnection = { ...input, id: uuidV7(), tenant, productName: product.value!, createdAt: now, updatedAt: now };
    stored(tenant).push(connection);
    return { status: 201, body: view(connection) };
  };

  const list = (request: FetcherRequest, tenant: string): FetcherAnswer | FetcherError => {
    const product = productNameOf(request.headers['x-product-name'] as string | undefined, false);
    if (product.error) return product.error;
    const { query: q, error } = parseListQuery(request.query);
    if (!q) return error!;
    // Newest first by default; among equal timestamps, the later create counts as newer.
    const inOrder = q.sortOrder === 'desc' ? live(tenant).reverse() : live(tenant);
    const matching = inOrder
      .filter((c) => !product.value || c.productName === product.value)
      .filter((c) => !q.type || c.type === q.type)
      .filter((c) => q.metadata.every(([key, value]) => String(c.metadata?.[key]) === value))
      .sort((a, b) => (q.sortOrder === 'asc' ? 1 : -1) * a.createdAt.localeCompare(b.createdAt));
    const items = matching.slice((q.page - 1) * q.limit, q.page * q.limit).map(view);
    return { status: 200, body: { items, page: q.page, limit: q.limit, total: matching.length } };
  };

  const handle = (request: FetcherRequest): FetcherAnswer => {
    const { route, id } = fetcherRouteOf(request.method, request.path);
    const tenant = tenantOf(request.headers.authorization);
    switch (route) {
      case 'unknown':
        return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: `Cannot ${request.method} ${request.path}` };
      case 'health':
        return { status: 200, body: { status: 'healthy' } };
      case 'create':
        return create(request, tenant);
      case 'list':
        return list(request, tenant);
      default: {
        if (!UUID.test(id!)) return invalidId();
        const connection = live(tenant).find((c) => c.id === id!.toLowerCase());
        return connection ? byId[route](request, tenant, connection) : notFound();
      }
    }
  };

  return {
    handle,
    connections: (tenant = 'default') => live(tenant),
    setSchema: (configName, programme) => void schemas.set(configName, programme),
    setDatabase: (configName, programme) => void (programme === 'down' ? databasesDown.add(configName) : databasesDown.delete(configName)),
  };
};
