import type { Call } from '../../discovery/ports.ts';
import type { CallCircuit, CircuitBreakers } from './circuit-breakers.ts';
import { isFetcherFault, type FetcherAnswer } from './fetcher-answers.ts';
import type { FetcherAuth } from './fetcher-auth.ts';
import type { FetcherClientOptions } from './fetcher-options.ts';
import { FetcherFailure, transportFailure } from './transport-failure.ts';

export interface FetcherCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  call: Call;
  /** Runs even while the circuit is open: the lookup of a create whose outcome is unknown. */
  bypassBreaker?: boolean;
  /** A 429 here is a limit on this one resource (the test route's, per connection), not Fetcher overloaded. */
  limitedPerResource?: boolean;
  /** Sent without credentials: Fetcher's /health asks for none, and a tenant without them may still ask. */
  anonymous?: boolean;
}

// What an open circuit must not stop: it neither asks nor tells the breaker anything.
const NO_BREAKER: CallCircuit = {
  admit: () => {},
  succeeded: () => {},
  failed: () => {},
  released: () => {},
};

// Fetcher answered, so nothing is unknown; but an answer this size is Fetcher misbehaving.
const oversized = () => new FetcherFailure('MTCH-0207', 'Fetcher answered with an oversized body.', false);

const readCapped = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw oversized();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw oversized();
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
export const createFetcherTransport = (config: FetcherClientOptions, auth: FetcherAuth, breakers: CircuitBreakers) => {
  const exchange = async (
    { method, path, body, call }: FetcherCall,
    what: string,
    credentials: Record<string, string>,
  ): Promise<FetcherAnswer> => {
    // No time left: do not send at all, rather than send and abandon.
    if (call.deadline.remainingMs() <= 0) throw new FetcherFailure('MTCH-0208', `No time was left to ask Fetcher for ${what}.`, false);
    try {
      const response = await fetch(`${config.baseUrl}${path}`, {
        method,
        redirect: 'error',
        signal: call.deadline.signal(config.timeoutMs),
        headers: {
          Accept: 'application/json',
          'X-Product-Name': config.productName,
          'X-Request-Id': call.requestId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...credentials,
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
    const circuit = request.bypassBreaker ? NO_BREAKER : breakers(request.call.tenantId);
    // Credentials come first, outside the circuit and before the timer: a slow or failing token
    // service is not Fetcher failing, and must not eat the call's own timeout.
    const credentials = request.anonymous ? {} : await auth.headers(request.call);
    circuit.admit();
    const started = Date.now();
    try {
      let answer = await exchange(request, what, credentials);
      if (answer.status === 401 && !request.anonymous) {
        auth.rejected(request.call);
        // A 401 means Fetcher refused the request unread, so even a create may be sent again.
        if (auth.refreshable) answer = await exchange(request, what, await auth.headers(request.call));
      }
      // Fetcher itself failing (not refusing what we sent) counts against the circuit: it answered, so
      // the failure may be this tenant's alone. A limit on one connection says nothing about Fetcher,
      // and must not cut off every other call.
      if (isFetcherFault(answer) && !(answer.status === 429 && request.limitedPerResource)) circuit.failed('tenant');
      else circuit.succeeded();
      return answer;
    } catch (error) {
      // A timeout before FETCHER_TIMEOUT_MS had passed was our own budget running out, not Fetcher failing.
      const budgetRanOut = error instanceof FetcherFailure && error.code === 'MTCH-0208' && Date.now() - started < config.timeoutMs;
      if (budgetRanOut || !(error instanceof FetcherFailure)) circuit.released();
      // No answer at all (refused, cut, untrusted) is Fetcher as a whole; a slow answer may be one tenant's.
      else circuit.failed(error.code === 'MTCH-0208' ? 'tenant' : 'fetcher');
      throw error;
    }
  };
};

export type FetcherTransport = ReturnType<typeof createFetcherTransport>;
