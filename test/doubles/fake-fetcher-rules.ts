/**
 * Fetcher's create and list rules (reference/fetcher-api.md §1-§5 and §10), kept apart from the
 * server so the fake's behaviour can be read against the reference line by line.
 */
export const DB_TYPES = ['POSTGRESQL', 'MYSQL', 'ORACLE', 'SQL_SERVER', 'MONGODB'] as const;

export interface FetcherError {
  status: number;
  body: { code: string | number; title: string; message: string; fields?: Record<string, string>; entityType?: string };
}

export interface CreateInput {
  configName: string;
  type: string;
  host: string;
  port: number;
  databaseName: string;
  userName: string;
  password: string;
  schema?: string;
  ssl?: { mode?: string; ca?: string; cert?: string; key?: string };
  metadata?: Record<string, unknown>;
}

export const fetcherError = (
  status: number,
  code: string | number,
  title: string,
  message: string,
  extra: Partial<FetcherError['body']> = {},
): FetcherError => ({
  status,
  body: { code, title, message, ...extra },
});

export const unparseable = () => fetcherError(400, 'FET-0001', 'Invalid payload', 'unable to parse request body');

const PRODUCT = /^[a-zA-Z0-9_-]+$/;

/** X-Product-Name: trimmed, lower-cased, ^[a-zA-Z0-9_-]+$, at most 100 characters. */
export const productNameOf = (header: string | undefined, required: boolean): { value?: string; error?: FetcherError } => {
  const trimmed = (header ?? '').trim();
  if (trimmed === '') {
    return required
      ? { error: fetcherError(400, 'FET-0403', 'Invalid header', 'X-Product-Name header is required and must not be empty') }
      : {};
  }
  const value = trimmed.toLowerCase();
  if (!PRODUCT.test(value) || value.length > 100) {
    return { error: fetcherError(400, 'FET-0403', 'Invalid header', 'X-Product-Name header is invalid') };
  }
  return { value };
};

// Go's encoding/json binds keys case-insensitively; the exact name wins when both are present.
const field = (body: Record<string, unknown>, name: string): unknown => {
  if (Object.hasOwn(body, name)) return body[name];
  const key = Object.keys(body).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
};

const STRING_FIELDS = ['configName', 'type', 'host', 'databaseName', 'schema', 'userName', 'password'] as const;
// go-playground's `hostname` (RFC 952): starts with a letter, no underscores.
const RFC952_HOSTNAME = /^[a-zA-Z]([a-zA-Z0-9-]+\.?)*[a-zA-Z0-9]$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIp = (host: string) => IPV4.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));

/** Validates a create body in Fetcher's order: bind, empty, required (FET-0402), values (FET-0001), domain. */
export const validateCreate = (raw: unknown): { input?: CreateInput; error?: FetcherError } => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: unparseable() };
  const body = raw as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const name of STRING_FIELDS) {
    const value = field(body, name);
    if (value !== undefined && value !== null && typeof value !== 'string') return { error: unparseable() };
    values[name] = value ?? '';
  }
  const port = field(body, 'port') ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port)) return { error: unparseable() };
  const ssl = field(body, 'ssl');
  const metadata = field(body, 'metadata');
  if (
    (ssl !== undefined && ssl !== null && typeof ssl !== 'object') ||
    (metadata !== undefined && metadata !== null && typeof metadata !== 'object')
  ) {
    return { error: unparseable() };
  }

  const sslObject = (ssl ?? {}) as CreateInput['ssl'] & object;
  const sslSet = Object.values(sslObject).some((value) => value !== undefined && value !== '');
  const allEmpty = STRING_FIELDS.every((name) => values[name] === '') && port === 0 && !sslSet && !metadata;
  if (allEmpty) return { error: fetcherError(400, 'FET-0001', 'Invalid payload', 'empty request body') };

  const missing: Record<string, string> = {};
  for (const name of ['configName', 'type', 'host', 'databaseName', 'userName', 'password'] as const) {
    if (values[name] === '') missing[name] = `${name} is a required field`;
  }
  if (port === 0) missing.port = 'port is a required field';
  if (Object.keys(missing).length > 0) {
    return { error: fetcherError(400, 'FET-0402', 'Missing Fields in Request', 'missing fields in request', { fields: missing }) };
  }

  const invalid: Record<string, string> = {};
  const type = values.type as string;
  if (!(DB_TYPES as readonly string[]).includes(type)) invalid.type = `type must be one of [${DB_TYPES.join(' ')}]`;
  if (port < 1 || port > 65535) invalid.port = 'port must be between 1 and 65535';
  const host = values.host as string;
  if (!RFC952_HOSTNAME.test(host) && !isIp(host)) invalid.host = 'host must be a valid hostname or ip';
  if (Object.keys(invalid).length > 0) {
    return { error: fetcherError(400, 'FET-0001', 'Bad Request', 'invalid fields in request', { fields: invalid }) };
  }

  const configName = (values.configName as string).trim();
  if (!/^[a-zA-Z0-9_-]+$/.test(configName)) {
    return {
      error: fetcherError(400, 'FET-0402', 'Missing Fields in Request', 'invalid config name', {
        fields: { config_name: 'config_name must match ^[a-zA-Z0-9_-]+$' },
        entityType: 'connection',
      }),
    };
  }
  if (configName.length < 3 || configName.length > 100) {
    return {
      error: fetcherError(400, 'FET-0001', 'Bad Request', 'invalid config name', {
        fields: { config_name: 'config_name must be 3 to 100 characters' },
        entityType: 'connection',
      }),
    };
  }
  if (sslSet && (!sslObject.mode || !sslObject.ca)) {
    return {
      error: fetcherError(400, 'FET-0402', 'Missing Fields in Request', 'missing ssl fields', {
        fields: { 'ssl.ca': 'ssl.ca and ssl.mode are required' },
        entityType: 'connection',
      }),
    };
  }

  return {
    input: {
      configName,
      type,
      host,
      port,
      databaseName: values.databaseName as string,
      userName: values.userName as string,
      password: values.password as string,
      ...(values.schema ? { schema: values.schema as string } : {}),
      ...(sslSet ? { ssl: sslObject } : {}),
      ...(metadata ? { metadata: metadata as Record<string, unknown> } : {}),
    },
  };
};

export interface ListQuery {
  page: number;
  limit: number;
  sortOrder: 'asc' | 'desc';
  type?: string;
  metadata: [string, string][];
}

/** Query parameters of GET /v1/management/connections (§3). */
export const parseListQuery = (params: URLSearchParams): { query?: ListQuery; error?: FetcherError } => {
  const page = Number(params.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1)
    return { error: fetcherError(400, 'FET-0405', 'Invalid Query Parameter', 'page must be a positive integer') };
  const limit = Number(params.get('limit') ?? '10');
  if (!Number.isInteger(limit) || limit < 1)
    return { error: fetcherError(400, 'FET-0405', 'Invalid Query Parameter', 'limit must be a positive integer') };
  if (limit > 100) return { error: fetcherError(400, 'FET-0406', 'Pagination Limit Exceeded', 'limit must not exceed 100') };
  const sortOrder = (params.get('sortOrder') ?? 'desc').toLowerCase();
  if (sortOrder !== 'asc' && sortOrder !== 'desc')
    return { error: fetcherError(400, 'FET-0407', 'Invalid Sort Order', 'sortOrder must be asc or desc') };
  const type = params.get('type')?.toUpperCase();
  const metadata = [...params.entries()]
    .filter(([key]) => key.startsWith('metadata.'))
    .map(([key, value]) => [key.slice('metadata.'.length), value] as [string, string]);
  return { query: { page, limit, sortOrder, ...(type ? { type } : {}), metadata } };
};
