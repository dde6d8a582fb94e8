import { CREATE_BODY } from '../../functions/openapi/examples.ts';
import type { LocalRoute } from './local-api.ts';
import type { Part } from './local-dependencies.ts';

/** The connection the printed curl creates (the README's curl sends the same one): the API document's example, named for a local run. */
const { configName: _example, schema: _schema, ...details } = CREATE_BODY;
export const DEMO_CONNECTION = { configName: 'ledger-local', ...details };

/** Lifetime of the token printed in the curl: a working day. */
export const BANNER_TOKEN_TTL_S = 8 * 3600;

/** A curl that creates the demo connection; `token` undefined leaves $TOKEN for the caller to set. */
export const createConnectionCurl = (url: string, token: string | undefined): string =>
  [
    `curl -sS -X POST ${url}/v1/discovery/connections \\`,
    token ? `  -H 'Authorization: Bearer ${token}' \\` : `  -H "Authorization: Bearer $TOKEN" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${JSON.stringify(DEMO_CONNECTION)}'`,
  ].join('\n');

export interface BannerInput {
  url: string;
  readySeconds: number;
  routes: readonly LocalRoute[];
  parts: readonly Part[];
  /** A fresh dev token, when the dev issuer is embedded. */
  token: string | undefined;
  /** What runs the scheduled sync, if anything. */
  sync?: string;
}

/** What `npm start` prints once everything answers: where, what runs, and a curl to try. */
export const startBanner = ({ url, readySeconds, routes, parts, token, sync }: BannerInput): string => {
  const width = Math.max(...routes.map(({ route }) => route.routeKey.length));
  return [
    `matcher-discovery local API: ${url} (ready in ${readySeconds.toFixed(1)} s)`,
    '',
    ...routes.map(({ route }) => `  ${route.routeKey.padEnd(width)}  ${route.entry}`),
    '',
    ...parts.map((part) => `  ${part.name.padEnd(10)}  ${part.embedded ? 'embedded' : 'real    '}  ${part.detail}`),
    '',
    `API reference: ${url}/docs (try it out${token ? ' with a dev token' : ''}); OpenAPI document: ${url}/openapi.json`,
    '',
    ...(sync ? [`Scheduled sync: ${sync}.`, ''] : []),
    token
      ? `Create a connection (the token is valid ${BANNER_TOKEN_TTL_S / 3600} h; \`npm run token\` prints another):`
      : 'Create a connection (set TOKEN to a token from your issuer):',
    '',
    createConnectionCurl(url, token),
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};
