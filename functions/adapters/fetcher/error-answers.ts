import { MatcherError, type FieldError } from '../../discovery/errors.ts';
import { fetcherErrorSchema, type FetcherAnswer } from './fetcher-answers.ts';
import { DEFAULT_RETRY_AFTER_SECONDS } from './transport-failure.ts';

/** Fetcher's field keys (JSON or snake_case names) to our request fields. */
const FIELD_LOCATIONS = new Map<string, string>([
  ['configname', 'configName'],
  ['config_name', 'configName'],
  ['type', 'databaseType'],
  ['host', 'host'],
  ['port', 'port'],
  ['databasename', 'databaseName'],
  ['database_name', 'databaseName'],
  ['username', 'userName'],
  ['user_name', 'userName'],
  ['password', 'password'],
  ['schema', 'schema'],
]);

const MAX_RETRY_AFTER_SECONDS = 3_600;
// Extraction jobs run for minutes; Fetcher gives no hint of when they end.
const BUSY_RETRY_AFTER_SECONDS = 30;

/** Retry-After as whole seconds (delta-seconds or an HTTP date), clamped to something sane. */
export const retryAfterSeconds = (header: string | null, now = Date.now()): number => {
  if (header === null) return DEFAULT_RETRY_AFTER_SECONDS;
  const trimmed = header.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : Math.ceil((Date.parse(trimmed) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
};

// Fetcher's own message text is never relayed: only which field, and whether it was missing.
const fetcherFieldErrors = (code: string, fields: Record<string, unknown>): FieldError[] =>
  Object.entries(fields).map(([key, message]) => {
    const field = FIELD_LOCATIONS.get(key.toLowerCase());
    const missing = code === 'FET-0402' && typeof message === 'string' && /is a required field$/.test(message);
    return {
      location: field ? `body.${field}` : 'body',
      message: missing && field ? `expected required property ${field} to be present` : 'rejected by Fetcher as invalid',
    };
  });

/** Fetcher's answer to a request that did not succeed, in the catalogue's terms. */
export const answerFailure = (answer: FetcherAnswer): MatcherError => {
  const body = fetcherErrorSchema.safeParse(answer.json);
  const code = body.success ? String(body.data.code ?? '') : '';
  const fields = body.success ? body.data.fields : undefined;

  if (answer.status === 400 && (code === 'FET-0402' || code === 'FET-0001') && fields && Object.keys(fields).length > 0) {
    return new MatcherError('MTCH-0005', 'Fetcher rejected the connection.', { errors: fetcherFieldErrors(code, fields) });
  }
  if (answer.status === 400 && code === 'FET-0414') {
    return new MatcherError('MTCH-0209', 'The host is not allowed.', {
      errors: [{ location: 'body.host', message: 'host not allowed: refused by Fetcher' }],
    });
  }
  if (answer.status === 409 && code === 'FET-1002') {
    return new MatcherError('MTCH-0206', 'A connection with this configName already exists.');
  }
  if (answer.status === 409 && code === 'FET-1021') {
    return new MatcherError('MTCH-0211', 'The connection is busy in Fetcher (extraction jobs are running); try again later.', {
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
    });
  }
  if (answer.status === 404) return new MatcherError('MTCH-0201', 'Fetcher no longer holds this connection.');
  if (answer.status === 429 || answer.status === 503) {
    return new MatcherError('MTCH-0203', 'Fetcher is busy; try again shortly.', {
      retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after')),
    });
  }
  return new MatcherError('MTCH-0207', `Fetcher answered ${answer.status}.`);
};
