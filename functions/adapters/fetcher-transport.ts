import type { FetcherConfig } from '../config.ts';
import { MatcherError } from '../discovery/errors.ts';
import type { CallContext } from '../discovery/ports.ts';
import type { FetcherAuth } from './fetcher-auth.ts';

export interface FetcherAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
}

export interface FetcherCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  call: CallContext;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
};

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');

/** Transport failures in the catalogue's terms: never Fetcher's text, never our request body. */
export const transportFailure = (error: unknown, what: string): MatcherError => {
  if (error instanceof MatcherError) return error;
  if (isTimeout(error)) return new MatcherError('MTCH-0208', `Fetcher did not answer ${what} in time.`, { cause: error });
  if (UNREACHABLE_CODES.has(causeCode(error) ?? '')) {
    return new MatcherError('MTCH-0203', 'Fetcher is unreachable; try again shortly.', { retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS, cause: error });
  }
  // Redirects (never followed), resets, TLS failures and bodies cut short.
  return new MatcherError('MTCH-0207', `Fetcher failed to answer ${what}.`, { cause: error });
};

const readCapped = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new MatcherError('MTCH-0207', 'Fetcher answered with an oversized body.');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new MatcherError('MTCH-0207', 'Fetcher answered with an oversized body.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const parseJson = (bytes: Uint8Array): unknown => {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
};

/**
 * One HTTP exchange with Fetcher: global fetch, the product header, the request id, an abort deadline
 * of min(FETCHER_TIMEOUT_MS, the Lambda's remaining time), redirects refused, and a capped body.
 */
export const createFetcherTransport = (config: FetcherConfig, auth: FetcherAuth) =>
  async ({ method, path, body, call }: FetcherCall, what: string): Promise<FetcherAnswer> => {
    const timeout = Math.max(0, Math.min(config.timeoutMs, call.deadline - Date.now()));
    const signal = AbortSignal.timeout(timeout);
    try {
      const response = await fetch(`${config.baseUrl}${path}`, {
        method,
        redirect: 'error',
        signal,
        headers: {
          Accept: 'application/json',
          'X-Product-Name': config.productName,
          'X-Request-Id': call.requestId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(await auth.headers(call)),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status === 401) auth.rejected();
      const bytes = await readCapped(response, config.maxResponseBytes);
      return { status: response.status, headers: response.headers, json: parseJson(bytes) };
    } catch (error) {
      throw transportFailure(error, what);
    }
  };

export type FetcherTransport = ReturnType<typeof createFetcherTransport>;
