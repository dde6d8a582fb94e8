import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createFetcherEmulator, type EmulatorOptions, type FetcherEmulator } from './fetcher-emulator.ts';
import { fetcherRouteOf, type FetcherAnswer, type FetcherRequest, type FetcherRoute } from './fetcher-route.ts';
import { readRequestBody } from './read-request-body.ts';

const MAX_BODY = 1024 * 1024;

/** One request in flight: what was asked, the emulator's answer on demand, and the response to write. */
export interface FetcherExchange {
  route: FetcherRoute | 'unknown';
  request: FetcherRequest;
  res: ServerResponse;
  /** Runs the emulator (which may store or delete) and gives its answer, unsent. */
  answer: () => FetcherAnswer;
}

/** Decides what an exchange gets; the plain emulator sends its answer. */
export type Intercept = (exchange: FetcherExchange) => Promise<void>;

export interface ServeOptions {
  port?: number;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
  intercept?: Intercept;
}

export interface ServedFetcher {
  url: string;
  stop(): Promise<void>;
}

/** Writes an answer: JSON unless its body is a string, nothing for a 204 or an answer without a body. */
export const send = (res: ServerResponse, { status, body, headers = {} }: FetcherAnswer) => {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
};

const sendAnswer: Intercept = async (exchange) => send(exchange.res, exchange.answer());

/** Serves an emulator on loopback: each request read whole, X-Request-Id echoed (or made), then intercepted. */
export const serveFetcher = async (
  emulator: FetcherEmulator,
  { port = 0, tls, intercept = sendAnswer }: ServeOptions = {},
): Promise<ServedFetcher> => {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fetcher.local');
    const read = await readRequestBody(req, MAX_BODY);
    // Fiber's own answer to a body over its limit.
    if (read === 'too-large') return void res.writeHead(413, { 'Content-Type': 'text/plain' }).end('Request Entity Too Large');
    const method = req.method ?? 'GET';
    const request: FetcherRequest = {
      method,
      path: url.pathname,
      target: url.pathname + url.search,
      query: url.searchParams,
      headers: req.headers,
      body: read.toString('utf8'),
    };
    res.setHeader('X-Request-Id', (req.headers['x-request-id'] as string | undefined) ?? randomUUID());
    await intercept({ route: fetcherRouteOf(method, url.pathname).route, request, res, answer: () => emulator.handle(request) });
  };
  const listener: RequestListener = (req, res) => void serve(req, res);
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as { port: number };
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${boundPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export interface FetcherEmulatorServer extends ServedFetcher, Pick<FetcherEmulator, 'connections' | 'setSchema' | 'seed' | 'setDatabase'> {}

/** The Fetcher emulator on a loopback port, answering every request faithfully: what `npm start` embeds. */
export const startFetcherEmulator = async ({
  port = 0,
  ...options
}: { port?: number } & EmulatorOptions = {}): Promise<FetcherEmulatorServer> => {
  const emulator = createFetcherEmulator(options);
  const served = await serveFetcher(emulator, { port });
  return {
    ...served,
    connections: (tenant) => emulator.connections(tenant),
    setSchema: (name, programme) => emulator.setSchema(name, programme),
    seed: (connections, tenant) => emulator.seed(connections, tenant),
    setDatabase: (name, programme) => emulator.setDatabase(name, programme),
  };
};
