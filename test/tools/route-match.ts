import type { Route } from '../../functions/routes.ts';

export interface RouteMatch {
  route: Route;
  /** Decoded values of the path's `{name}` and `{name+}` variables; undefined when it has none. */
  pathParameters: Record<string, string> | undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// API Gateway's path templates: `{name}` is one segment, `{name+}` (greedy) is the rest of the path.
const compile = (path: string) => {
  const names: string[] = [];
  const pattern = path
    .split('/')
    .map((segment) => {
      const variable = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!variable) return escape(segment);
      names.push(variable[1]!);
      return variable[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { names, regex: new RegExp(`^${pattern}$`) };
};

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * The route API Gateway would pick for a method and raw path: exact routes before templated ones, as
 * API Gateway prefers the most specific match.
 */
export const matchRoute = (routes: readonly Route[], method: string, rawPath: string): RouteMatch | undefined => {
  const candidates = routes.filter((route) => route.method === method.toUpperCase());
  const exact = candidates.find((route) => route.path === rawPath);
  if (exact) return { route: exact, pathParameters: undefined };
  for (const route of candidates) {
    const { names, regex } = compile(route.path);
    const found = names.length > 0 ? regex.exec(rawPath) : null;
    if (found) return { route, pathParameters: Object.fromEntries(names.map((name, index) => [name, decode(found[index + 1]!)])) };
  }
  return undefined;
};
