import type { FetcherConfig } from '../config.ts';
import { MatcherError } from '../discovery/errors.ts';
import type { CallContext } from '../discovery/ports.ts';
import type { FetcherAuth } from './fetcher-auth.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { isFetcherFault } from './fetcher-errors.ts';
import { FetcherFailure, transportFailure } from './fetcher-failure.ts';

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
 * of min(FETCHER_TIMEOUT_MS, the Lambda's remaining time), redirects refused, a capped body, the
 * circuit breaker, and one more try after a 401 when the credential can be refreshed.
 */
export const createFetcherTransport = (config: FetcherConfig, auth: FetcherAuth, breaker: CircuitBreaker) => {
  const exchange = async ({ method, path, body, call }: FetcherCall, what: string, timeout: number): Promise<FetcherAnswer> => {
    try {
      const response = await fetch(`${config.baseUrl}${path}`, {
        method,
        redirect: 'error',
        signal: AbortSignal.timeout(timeout),
        headers: {
          Accept: 'application/json',
          'X-Product-Name': config.productName,
          'X-Request-Id': call.requestId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(await auth.headers(call)),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const bytes = await readCapped(response, config.maxResponseBytes);
      return { status: response.status, headers: response.headers, json: parseJson(bytes) };
    } catch (error) {
      throw transportFailure(error, what);
    }
  };

  return async (request: FetcherCall, what: string): Promise<FetcherAnswer> => {
    const timeout = Math.min(config.timeoutMs, request.call.deadline - Date.now());
    // No time left: do not send at all, rather than send and abandon.
    if (timeout <= 0) throw new FetcherFailure('MTCH-0208', `No time was left to ask Fetcher for ${what}.`, false);
    breaker.admit();
    try {
      let answer = await exchange(request, what, timeout);
      if (answer.status === 401) {
        auth.rejected();
        // A 401 means Fetcher refused the request unread, so even a create may be sent again.
        if (auth.refreshable) answer = await exchange(request, what, Math.min(config.timeoutMs, request.call.deadline - Date.now()));
      }
      // Fetcher itself failing (not refusing what we sent) counts against the circuit.
      if (isFetcherFault(answer)) breaker.failed();
      else breaker.succeeded();
      return answer;
    } catch (error) {
      // A timeout shorter than FETCHER_TIMEOUT_MS was our budget running out, not Fetcher failing.
      if (error instanceof FetcherFailure && error.code === 'MTCH-0208' && timeout < config.timeoutMs) breaker.released();
      else breaker.failed();
      throw error;
    }
  };
};

export type FetcherTransport = ReturnType<typeof createFetcherTransport>;
