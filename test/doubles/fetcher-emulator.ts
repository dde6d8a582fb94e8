import { decodeJwt } from 'jose';
import { v7 as uuidV7 } from 'uuid';
import {
  conflict,
  connectError,
  invalidId,
  jobInProgress,
  notFound,
  retrievalError,
  unparseable,
  type FetcherError,
} from './fetcher-errors.ts';
import { INTERNAL_CONNECTIONS } from './fetcher-internal-connections.ts';
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

/** A connection put straight into the store (as if created long ago, or by someone else): defaults for what is not given. */
export type SeedConnection = Partial<Omit<StoredConnection, 'tenant'>> & { configName: string };

/** Whether a connection's database answers Fetcher's dial: `down` fails its test and its schema read alike. */
export type DatabaseProgramme = 'up' | 'down';

/** Whether extraction jobs run on a connection: while `running`, Fetcher refuses to change or delete it (409 FET-1021). */
export type JobsProgramme = 'running' | 'idle';

export interface EmulatorOptions {
  /** The clock the listing's default window and the test route's rate limit are taken from. */
  now?: () => Date;
  /** Fetcher's MAX_PAGINATION_MONTH_DATE_RANGE: an undated listing shows this many months back, and no range is longer. */
  maxMonthRange?: number;
  /** Multi-tenant Fetcher: page 1 of every listing starts with these internal connections of other products. */
  internalConnections?: readonly StoredConnection[] | boolean;
}

export interface FetcherEmulator {
  handle(request: FetcherRequest): FetcherAnswer;
  /** The live (not deleted) connections of a tenant. */
  connections(tenant?: string): StoredConnection[];
  /** The schema answer for a configName (the demo tables when unset). */
  setSchema(configName: string, programme: SchemaProgramme): void;
  /** Stores connections as they are, with any createdAt, without the create route's checks. */
  seed(connections: readonly SeedConnection[], tenant?: string): StoredConnection[];
  /** Changes a stored connection (deleted ones included) as Fetcher's database would: `deletedAt: undefined` brings one back. */
  alter(id: string, changes: Partial<Omit<StoredConnection, 'id' | 'tenant'>>, tenant?: string): StoredConnection;
  /** Takes a configName's database down (or back up): Fetcher's dial fails with Database Connection Error. */
  setDatabase(configName: string, programme: DatabaseProgramme): void;
  /** Starts (or ends) extraction jobs on the connection with this Fetcher id: its PATCH and DELETE answer 409 FET-1021 meanwhile. */
  setJobs(id: string, programme: JobsProgramme): void;
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
export const createFetcherEmulator = ({
  now = () => new Date(),
  maxMonthRange = 1,
  internalConnections,
}: EmulatorOptions = {}): FetcherEmulator => {
  const tenants = new Map<string, StoredConnection[]>();
  // The same connections by id: a tenant seeded with thousands answers each by-id route at once.
  const byId = new Map<string, Map<string, StoredConnection>>();
  const schemas = new Map<string, SchemaProgramme>();
  const internal = internalConnections === true ? INTERNAL_CONNECTIONS : internalConnections || [];
  const databasesDown = new Set<string>();
  const busy = new Set<string>();
  const testLimiter = createTestLimiter(() => now().getTime());

  const stored = (tenant: string) => tenants.get(tenant) ?? tenants.set(tenant, []).get(tenant)!;
  const idsOf = (tenant: string) => byId.get(tenant) ?? byId.set(tenant, new Map()).get(tenant)!;
  const store = (tenant: string, connections: StoredConnection[]) => {
    stored(tenant).push(...connections);
    for (const connection of connections) idsOf(tenant).set(connection.id, connection);
  };
  const live = (tenant: string) => stored(tenant).filter((c) => !c.deletedAt);
  const nameTaken = (tenant: string, configName: string) => live(tenant).some((c) => c.configName === configName);

  type Handler = (request: FetcherRequest, tenant: string, connection: StoredConnection) => FetcherAnswer | FetcherError;

  // The routes on one connection: the id is a UUID of a live connection of the tenant, or the answer is 400 or 404.
  const onConnection: Record<'get' | 'schema' | 'test' | 'update' | 'delete', Handler> = {
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
      if (busy.has(connection.id)) return jobInProgress();
      if (patch.configName !== undefined && patch.configName !== connection.configName && nameTaken(tenant, patch.configName))
        return conflict();
      Object.assign(connection, patch, { updatedAt: now().toISOString() });
      return { status: 200, body: view(connection) };
    },
    delete: (_request, _tenant, connection) => {
      if (busy.has(connection.id)) return jobInProgress();
      connection.deletedAt = now().toISOString();
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
    const at = now().toISOString();
    const connection: StoredConnection = { ...input, id: uuidV7(), tenant, productName: product.value!, createdAt: at, updatedAt: at };
    store(tenant, [connection]);
    return { status: 201, body: view(connection) };
  };

  const list = (request: FetcherRequest, tenant: string): FetcherAnswer | FetcherError => {
    const product = productNameOf(request.headers['x-product-name'] as string | undefined, false);
    if (product.error) return product.error;
    const { query: q, error } = parseListQuery(request.query, { now: now(), maxMonthRange });
    if (!q) return error!;
    const inWindow = (c: StoredConnection) => {
      const created = Date.parse(c.createdAt);
      return created >= q.createdFrom && created <= q.createdTo;
    };
    const matching = live(tenant)
      .filter((c) => inWindow(c) && (!product.value || c.productName === product.value) && (!q.type || c.type === q.type))
      .filter((c) => q.metadata.every(([key, value]) => String(c.metadata?.[key]) === value));
    // Newest first by default; among equal timestamps, the later create counts as newer.
    if (q.sortOrder === 'desc') matching.reverse();
    const direction = q.sortOrder === 'asc' ? 1 : -1;
    matching.sort((a, b) => direction * (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    // The tenant manager's datasources come first on page 1, whatever the product and dates asked for.
    const prepended = q.page === 1 ? internal.filter((c) => !q.type || c.type === q.type) : [];
    const items = [...prepended, ...matching.slice((q.page - 1) * q.limit, q.page * q.limit)].map(view);
    const total = matching.length + internal.filter((c) => !q.type || c.type === q.type).length;
    return { status: 200, body: { items, page: q.page, limit: q.limit, total } };
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
        const connection = idsOf(tenant).get(id!.toLowerCase());
        return connection && !connection.deletedAt ? onConnection[route](request, tenant, connection) : notFound();
      }
    }
  };

  const seed = (connections: readonly SeedConnection[], tenant = 'default') => {
    const made = connections.map((given): StoredConnection => {
      const createdAt = given.createdAt ?? now().toISOString();
      return {
        type: 'POSTGRESQL',
        host: 'db.example.com',
        port: 5432,
        databaseName: 'ledger',
        userName: 'reader',
        password: 'seeded-password',
        productName: 'matcher',
        updatedAt: createdAt,
        ...given,
        id: given.id ?? uuidV7(),
        tenant,
        createdAt,
      };
    });
    store(tenant, made);
    return made;
  };

  const alter = (id: string, changes: Partial<Omit<StoredConnection, 'id' | 'tenant'>>, tenant = 'default') => {
    const connection = idsOf(tenant).get(id);
    if (!connection) throw new Error(`no connection ${id} in tenant ${tenant}`);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete (connection as unknown as Record<string, unknown>)[key];
      else (connection as unknown as Record<string, unknown>)[key] = value;
    }
    return connection;
  };

  return {
    handle,
    connections: (tenant = 'default') => live(tenant),
    setSchema: (configName, programme) => void schemas.set(configName, programme),
    seed,
    alter,
    setDatabase: (configName, programme) => void (programme === 'down' ? databasesDown.add(configName) : databasesDown.delete(configName)),
    setJobs: (id, programme) => void (programme === 'running' ? busy.add(id.toLowerCase()) : busy.delete(id.toLowerCase())),
  };
};
