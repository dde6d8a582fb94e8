import { emptyBody, fetcherError, unparseable, type FetcherError } from './fetcher-errors.ts';

/**
 * Fetcher's rules for X-Product-Name and for create and update bodies, kept apart from the emulator's
 * routes so they can be read against Fetcher's own validation one by one.
 */
export const DB_TYPES = ['POSTGRESQL', 'MYSQL', 'ORACLE', 'SQL_SERVER', 'MONGODB'] as const;

/** The ssl.mode values each database type accepts. */
export const SSL_MODES: Record<string, readonly string[]> = {
  POSTGRESQL: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'],
  MYSQL: ['false', 'true', 'skip-verify', 'preferred'],
  ORACLE: ['disable', 'false', 'true', 'enable', 'verify', 'skip-verify'],
  MONGODB: ['disable', 'false', 'true', 'enable', 'insecure'],
  SQL_SERVER: ['disable', 'false', 'true', 'strict'],
};

export interface SslInput {
  mode?: string;
  ca?: string;
  cert?: string;
  key?: string;
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
  ssl?: SslInput;
  metadata?: Record<string, unknown>;
}

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
type StringField = (typeof STRING_FIELDS)[number];
// go-playground's `hostname` (RFC 952): starts with a letter, no underscores.
const RFC952_HOSTNAME = /^[a-zA-Z]([a-zA-Z0-9-]+\.?)*[a-zA-Z0-9]$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIp = (host: string) => IPV4.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));

/** A body bound as Fiber binds it into Go's struct: absent fields are zero values. */
interface Bound {
  strings: Record<StringField, string>;
  port: number;
  ssl: SslInput;
  sslSet: boolean;
  metadata?: Record<string, unknown>;
}

const bind = (raw: unknown): { bound?: Bound; error?: FetcherError } => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: unparseable() };
  const body = raw as Record<string, unknown>;
  const strings = {} as Record<StringField, string>;
  for (const name of STRING_FIELDS) {
    const value = field(body, name);
    if (value !== undefined && value !== null && typeof value !== 'string') return { error: unparseable() };
    strings[name] = value ?? '';
  }
  const port = field(body, 'port') ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port)) return { error: unparseable() };
  const ssl = field(body, 'ssl') ?? {};
  const metadata = field(body, 'metadata') ?? undefined;
  if (typeof ssl !== 'object' || (metadata !== undefined && typeof metadata !== 'object')) return { error: unparseable() };
  const sslSet = Object.values(ssl).some((value) => value !== undefined && value !== '');
  return { bound: { strings, port, ssl, sslSet, ...(metadata ? { metadata: metadata as Record<string, unknown> } : {}) } };
};

const isEmpty = ({ strings, port, sslSet, metadata }: Bound) =>
  STRING_FIELDS.every((name) => strings[name] === '') && port === 0 && !sslSet && !metadata;

const badRequest = (fields: Record<string, string>) =>
  fetcherError(400, 'FET-0001', 'Bad Request', 'invalid fields in request', { fields });
const domainMissing = (message: string, fields: Record<string, string>) =>
  fetcherError(400, 'FET-0402', 'Missing Fields in Request', message, { fields, entityType: 'connection' });

/** Struct-tag checks of the values that are set: type, port range, hostname|ip (FET-0001). */
const invalidValues = ({ strings, port }: Bound, isSet: (name: StringField | 'port') => boolean): Record<string, string> => {
  const invalid: Record<string, string> = {};
  if (isSet('type') && !(DB_TYPES as readonly string[]).includes(strings.type))
    invalid.type = `type must be one of [${DB_TYPES.join(' ')}]`;
  if (isSet('port') && (port < 1 || port > 65535)) invalid.port = 'port must be between 1 and 65535';
  if (isSet('host') && !RFC952_HOSTNAME.test(strings.host) && !isIp(strings.host)) invalid.host = 'host must be a valid hostname or ip';
  return invalid;
};

const configNameError = (configName: string): FetcherError | undefined => {
  if (!/^[a-zA-Z0-9_-]+$/.test(configName)) {
    return domainMissing('invalid config name', { config_name: 'config_name must match ^[a-zA-Z0-9_-]+$' });
  }
  if (configName.length < 3 || configName.length > 100) {
    return fetcherError(400, 'FET-0001', 'Bad Request', 'invalid config name', {
      fields: { config_name: 'config_name must be 3 to 100 characters' },
      entityType: 'connection',
    });
  }
  return undefined;
};

// Once any ssl field is set, mode and ca are both required and mode must suit the database type.
const sslError = (ssl: SslInput, type: string): FetcherError | undefined => {
  if (!ssl.mode || !ssl.ca) return domainMissing('missing ssl fields', { 'ssl.ca': 'ssl.ca and ssl.mode are required' });
  if (!SSL_MODES[type]?.includes(ssl.mode)) {
    return fetcherError(400, 'FET-0001', 'Bad Request', 'invalid ssl mode', {
      fields: { 'ssl.mode': `ssl.mode is not valid for ${type}` },
      entityType: 'connection',
    });
  }
  return undefined;
};

/** Validates a create body in Fetcher's order: bind, empty, required (FET-0402), values (FET-0001), domain. */
export const validateCreate = (raw: unknown): { input?: CreateInput; error?: FetcherError } => {
  const { bound, error } = bind(raw);
  if (!bound) return { error };
  if (isEmpty(bound)) return { error: emptyBody() };
  const { strings, port, ssl, sslSet, metadata } = bound;

  const missing: Record<string, string> = {};
  for (const name of ['configName', 'type', 'host', 'databaseName', 'userName', 'password'] as const) {
    if (strings[name] === '') missing[name] = `${name} is a required field`;
  }
  if (port === 0) missing.port = 'port is a required field';
  if (Object.keys(missing).length > 0) {
    return { error: fetcherError(400, 'FET-0402', 'Missing Fields in Request', 'missing fields in request', { fields: missing }) };
  }
  const invalid = invalidValues(bound, () => true);
  if (Object.keys(invalid).length > 0) return { error: badRequest(invalid) };

  const configName = strings.configName.trim();
  const domain = configNameError(configName) ?? (sslSet ? sslError(ssl, strings.type) : undefined);
  if (domain) return { error: domain };
  const { type, host, databaseName, userName, password, schema } = strings;
  return {
    input: {
      ...{ configName, type, host, port, databaseName, userName, password },
      ...(schema ? { schema } : {}),
      ...(sslSet ? { ssl } : {}),
      ...(metadata ? { metadata } : {}),
    },
  };
};

/**
 * Validates a PATCH body against the connection's current type: every field optional, `{}` refused,
 * configName 3..100 characters, ssl applied (whole) only when ssl.mode is given. No field can be unset.
 */
export const validateUpdate = (raw: unknown, currentType: string): { patch?: Partial<CreateInput>; error?: FetcherError } => {
  const { bound, error } = bind(raw);
  if (!bound) return { error };
  if (isEmpty(bound)) return { error: emptyBody() };
  const { strings, port, ssl, metadata } = bound;
  const isSet = (name: StringField | 'port') => (name === 'port' ? port !== 0 : strings[name] !== '');

  const invalid = invalidValues(bound, isSet);
  const configName = strings.configName.trim();
  if (isSet('configName') && (configName.length < 3 || configName.length > 100))
    invalid.configName = 'configName must be 3 to 100 characters';
  if (Object.keys(invalid).length > 0) return { error: badRequest(invalid) };

  const type = isSet('type') ? strings.type : currentType;
  const domain = (isSet('configName') ? configNameError(configName) : undefined) ?? (ssl.mode ? sslError(ssl, type) : undefined);
  if (domain) return { error: domain };
  const patch: Partial<CreateInput> = Object.fromEntries(STRING_FIELDS.filter(isSet).map((name) => [name, strings[name]]));
  if (isSet('configName')) patch.configName = configName;
  if (isSet('port')) patch.port = port;
  if (ssl.mode) patch.ssl = ssl;
  if (metadata) patch.metadata = metadata;
  return { patch };
};
