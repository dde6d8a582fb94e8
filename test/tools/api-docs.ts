import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { HttpResponse } from './api-gateway-result.ts';
import { REPO_ROOT } from './local-paths.ts';

/** Swagger UI's files, served from node_modules (never a CDN), so the page works offline. */
const SWAGGER_UI = join(REPO_ROOT, 'node_modules', 'swagger-ui-dist');
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Matcher Discovery API (local)</title>
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// "Try it out" is on from the start; once the document is shown, the page asks the harness for a dev
// token and authorizes with it, so every request it sends is accepted (discovery:write serves all).
const INIT = `const ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  tryItOutEnabled: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  onComplete: () => {
    fetch('/docs/dev-token')
      .then((response) => (response.ok ? response.json() : undefined))
      .then((answer) => answer && ui.preauthorizeApiKey('BearerAuth', answer.token));
  },
});
window.ui = ui;
`;

export interface ApiDocsOptions {
  /** The document's JSON text. */
  document: () => string;
  /** Signs a dev token; absent when the issuer is a real one (the page then asks the user for a token). */
  devToken?: () => Promise<string>;
  /** The API's port: the token is only handed to pages served by this very API. */
  port: () => number;
}

const send = (statusCode: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { 'content-type': contentType, 'cache-control': 'no-store', ...extra },
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});

/**
 * What the local API serves besides the routes: the OpenAPI document at /openapi.json and an API
 * reference with a working "try it" at /docs. Undefined for every other request.
 */
export const apiDocs = ({ document, devToken, port }: ApiDocsOptions) => {
  // A token only for the harness's own page: a request naming another host (a rebound DNS name) or
  // sent from another site gets none.
  const fromOwnPage = (req: IncomingMessage) =>
    [`127.0.0.1:${port()}`, `localhost:${port()}`].includes(req.headers.host ?? '') &&
    ['same-origin', undefined].includes(req.headers['sec-fetch-site']);

  return async (req: IncomingMessage, path: string): Promise<HttpResponse | undefined> => {
    if (req.method !== 'GET') return undefined;
    if (path === '/openapi.json') return send(200, 'application/json', document());
    if (path === '/docs' || path === '/docs/') return send(200, 'text/html; charset=utf-8', PAGE);
    if (path === '/docs/init.js') return send(200, 'text/javascript; charset=utf-8', INIT);
    if (path === '/docs/dev-token') {
      if (!devToken || !fromOwnPage(req)) return send(404, 'application/json', JSON.stringify({ message: 'Not Found' }));
      return send(200, 'application/json', JSON.stringify({ token: await devToken() }));
    }
    const asset = path.startsWith('/docs/') ? path.slice('/docs/'.length) : undefined;
    if (asset && ASSETS[asset])
      return send(200, ASSETS[asset], await readFile(join(SWAGGER_UI, asset)), { 'cache-control': 'max-age=3600' });
    return undefined;
  };
};
