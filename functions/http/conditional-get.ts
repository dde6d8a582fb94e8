import type { MiddlewareObj } from '@middy/core';
import { createHash } from 'node:crypto';
import type { HttpEvent, HttpResult, RouteContext } from './request-state.ts';

/** The tags If-None-Match names: a list, `*`, weak or strong alike (a weak comparison, as RFC 9110 asks of GET). */
const tagsOf = (header: string) => header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));

/**
 * ETag on a read route's 200, and 304 Not Modified when the client already has that answer: a
 * poller of a large schema downloads it once.
 */
export const conditionalGet = (): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  after: (request) => {
    const response = request.response;
    const method = request.event.requestContext?.http?.method;
    if (method !== 'GET' || response?.statusCode !== 200 || response.body === undefined) return;
    const tag = `"${createHash('sha256').update(response.body).digest('base64url').slice(0, 27)}"`;
    const ifNoneMatch = request.event.headers?.['if-none-match'];
    if (ifNoneMatch !== undefined && tagsOf(ifNoneMatch).some((given) => given === tag || given === '*')) {
      request.response = { statusCode: 304, headers: { ETag: `W/${tag}`, 'Cache-Control': 'private, no-cache' } };
      return;
    }
    request.response = { ...response, headers: { ...response.headers, ETag: `W/${tag}`, 'Cache-Control': 'private, no-cache' } };
  },
});
