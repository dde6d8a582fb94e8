import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Route } from '../../functions/routes.ts';
import { lambdaContext } from './lambda-context.ts';
import { toHttpApiEvent } from './api-gateway-event.ts';
import { gatewayError, toHttpResponse, type HttpResponse } from './api-gateway-result.ts';
import { readRequestBody } from '../doubles/read-request-body.ts';
import { DEFAULT_HOST, urlHost } from './listen-host.ts';
import { matchRoute } from './route-match.ts';

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface LocalRoute {
  route: Route;
  handler: LambdaHandler;
}

export interface LocalApiOptions {
  routes: readonly LocalRoute[];
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The Lambda timeout: the context counts down from it, and a handler still running then is a 500. */
  timeoutMs?: number;
  /** API Gateway's payload limit. */
  maxBodyBytes?: number;
  /** One line per request; stderr by default. */
  log?: (line: string) => void;
  /** Pages served besides the routes (the API document and its reference page); undefined passes the request on. */
  pages?: (req: IncomingMessage, path: string) => Promise<HttpResponse | undefined>;
}

export interface LocalApi {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const TEN_MB = 10 * 1024 * 1024;

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T | 'timed-out'> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

/**
 * A local stand-in for API Gateway's HTTP API: each request becomes a payload 2.0 event for the route's
 * handler, and the handler's result becomes the response, with API Gateway's own 404, 413 and 500.
 */
export const startLocalApi = async ({
  routes,
  host = DEFAULT_HOST,
  port = 0,
  timeoutMs = 29_000,
  maxBodyBytes = TEN_MB,
  log = (line) => process.stderr.write(`${line}\n`),
  pages,
}: LocalApiOptions): Promise<LocalApi> => {
  const handlers = new Map(routes.map(({ route, handler }) => [route, handler]));
  const table = routes.map(({ route }) => route);

  const answer = async (req: IncomingMessage, requestId: string): Promise<HttpResponse> => {
    const target = req.url ?? '/';
    const rawPath = target.split('?')[0]!;
    const body = await readRequestBody(req, maxBodyBytes);
    const page = await pages?.(req, rawPath);
    if (page) return page;
    const match = matchRoute(table, req.method ?? 'GET', rawPath);
    if (!match) return gatewayError.notFound();
    if (body === 'too-large') return gatewayError.tooLarge();

    const event = toHttpApiEvent(
      {
        method: req.method ?? 'GET',
        target,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        localPort: req.socket.localPort ?? port,
        httpVersion: req.httpVersion,
      },
      { routeKey: match.route.routeKey, pathParameters: match.pathParameters, requestId, now: new Date() },
    );
    try {
      const result = await withTimeout(handlers.get(match.route)!(event, lambdaContext(timeoutMs, match.route.name)), timeoutMs);
      if (result === 'timed-out') {
        log(`${match.route.name}: Task timed out after ${timeoutMs / 1000} seconds`);
        return gatewayError.internal();
      }
      return toHttpResponse(result);
    } catch (error) {
      // What Lambda would log for an unhandled error; API Gateway hides it behind a 500.
      log(`${match.route.name}: unhandled error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return gatewayError.internal();
    }
  };

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    const requestId = randomUUID();
    const send = (response: HttpResponse) => {
      res
        .writeHead(response.statusCode, { ...response.headers, 'content-length': response.body.length, 'apigw-requestid': requestId })
        .end(response.body);
      log(`${req.method} ${req.url} ${response.statusCode} ${Date.now() - started} ms`);
    };
    void answer(req, requestId)
      .catch(() => gatewayError.internal())
      .then((response) => {
        try {
          send(response);
        } catch {
          // A header value Node refuses to send (e.g. a newline in it): API Gateway answers 500 too.
          send(gatewayError.internal());
        }
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as { port: number };

  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    port: boundPort,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
