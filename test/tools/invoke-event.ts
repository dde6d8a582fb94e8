import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Route } from '../../functions/routes.ts';
import { matchRoute } from './route-match.ts';

/** Where an event file wants a bearer token: `npm run invoke` puts a fresh one there, so none is committed. */
export const TOKEN_PLACEHOLDER = '{{DEV_TOKEN}}';

/** Parses an event file's text (as `sam local generate-event apigateway http-api-proxy` writes it), with the placeholder filled. */
export const parseEvent = (text: string, token: string | undefined): APIGatewayProxyEventV2 => {
  if (text.includes(TOKEN_PLACEHOLDER) && token === undefined) {
    throw new Error(
      `the event asks for a token (${TOKEN_PLACEHOLDER}) but the dev issuer is not embedded; set INVOKE_TOKEN to a token from your issuer`,
    );
  }
  const event = JSON.parse(token === undefined ? text : text.replaceAll(TOKEN_PLACEHOLDER, token)) as unknown;
  if (typeof event !== 'object' || event === null || (event as { version?: unknown }).version !== '2.0') {
    throw new Error('not an API Gateway HTTP API payload 2.0 event (version "2.0")');
  }
  return event as APIGatewayProxyEventV2;
};

/** The route whose handler gets the event: by routeKey, or by method and path for a `$default` event. */
export const routeOfEvent = (event: APIGatewayProxyEventV2, routes: readonly Route[]): Route | undefined =>
  routes.find((route) => route.routeKey === event.routeKey) ??
  matchRoute(routes, event.requestContext?.http?.method ?? '', event.rawPath ?? '')?.route;
