import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Route } from '../../functions/routes.ts';
import type { LambdaHandler, LocalRoute } from './local-api.ts';
import { REPO_ROOT } from './local-paths.ts';

/**
 * Imports each route's handler module, as Lambda's cold start does. Each module reads its configuration
 * from process.env at import, so the environment must be complete before this runs.
 */
export const loadRouteHandlers = (routes: readonly Route[]): Promise<LocalRoute[]> =>
  Promise.all(
    routes.map(async (route) => {
      const module = (await import(pathToFileURL(resolve(REPO_ROOT, route.entry)).href)) as { handler?: unknown };
      if (typeof module.handler !== 'function') throw new Error(`${route.entry} does not export a handler function`);
      return { route, handler: module.handler as LambdaHandler };
    }),
  );
