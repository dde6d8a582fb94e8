import { scrub } from './secret-values.ts';

export interface ErrorFields {
  name: string;
  message: string;
}

/**
 * An error as a log line may carry it: its name, and its message with every withheld value (the
 * request's password and token, the configured secrets) taken out. Only text that came from outside
 * (a driver, Fetcher, the SDK) is rewritten this way; the log line's own fields never are.
 */
export const errorFields = (error: unknown): ErrorFields =>
  error instanceof Error ? { name: scrub(error.name), message: scrub(error.message) } : { name: 'unknown', message: scrub(String(error)) };
