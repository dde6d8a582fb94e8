import { Logger } from '@aws-lambda-powertools/logger';
import { scrub } from './secret-values.ts';
import { SERVICE_NAME } from './service-name.ts';

// Any key that names a credential is redacted at any depth, whatever its value.
const SECRET_KEY = /pass(word|wd)?$|secret|token|authorization|cookie|credential|api[-_]?key/i;

/** Structured JSON logs; the service never logs events, bodies or Fetcher answers. */
export const logger = new Logger({
  serviceName: SERVICE_NAME,
  jsonReplacerFn: (key, value) => {
    if (key !== '' && SECRET_KEY.test(key)) return '[REDACTED]';
    return typeof value === 'string' ? scrub(value) : value;
  },
});
