import { Logger } from '@aws-lambda-powertools/logger';
import { scrub } from './secret-values.ts';
import { SERVICE_NAME } from './service-name.ts';

// The keys under which a line carries an error (Powertools puts an Error logged as extra under `error`).
const OUTSIDE_TEXT = new Set(['error', 'cause']);

const scrubDeep = (value: unknown): unknown => {
  if (typeof value === 'string') return scrub(value);
  // An Error's fields are not enumerable: written out here as Powertools writes them, scrubbed.
  if (value instanceof Error) {
    const { name, message, stack, cause } = value;
    return {
      name,
      message: scrub(message),
      ...(stack ? { stack: scrub(stack) } : {}),
      ...(cause === undefined ? {} : { cause: scrubDeep(cause) }),
    };
  }
  if (Array.isArray(value)) return value.map(scrubDeep);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v)]));
  return value;
};

// Any key that names a credential is redacted at any depth, whatever its value.
const SECRET_KEY = /pass(word|wd)?$|secret|token|authorization|cookie|credential|api[-_]?key/i;

/**
 * Structured JSON logs; the service never logs events, bodies or Fetcher answers. Text that comes
 * from outside (an error's message) is scrubbed where it is logged (error-fields.ts); a line's own
 * fields are never rewritten, so a caller cannot erase a tenant id or a message by choosing it as a password.
 */
export const logger = new Logger({
  serviceName: SERVICE_NAME,
  jsonReplacerFn: (key, value) => {
    if (key !== '' && SECRET_KEY.test(key)) return '[REDACTED]';
    // An error's text came from outside (a driver, Fetcher, the SDK): withheld values are taken out of it.
    return OUTSIDE_TEXT.has(key) ? scrubDeep(value) : value;
  },
});
