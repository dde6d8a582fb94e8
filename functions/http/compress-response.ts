import type { MiddlewareObj } from '@middy/core';
import { gzipSync } from 'node:zlib';
import type { HttpEvent, HttpResult, RouteContext } from './request-state.ts';

// Below this a compressed body saves less than the headers cost.
const MIN_BYTES = 1_024;

const acceptsGzip = (header: string | undefined) =>
  (header ?? '').split(',').some((entry) => {
    const [coding, ...parameters] = entry.trim().toLowerCase().split(';');
    return coding === 'gzip' && !parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
  });

/**
 * gzip for clients that accept it: a 2 000-table schema stays far inside the 6 MB Lambda response
 * limit, and travels a tenth of its size. API Gateway passes the body through, base64-decoded.
 */
export const compressResponse = (): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  after: (request) => {
    const response = request.response;
    if (!response?.body || response.isBase64Encoded || Buffer.byteLength(response.body) < MIN_BYTES) return;
    const vary = { ...response.headers, Vary: 'Accept-Encoding' };
    if (!acceptsGzip(request.event.headers?.['accept-encoding'])) {
      request.response = { ...response, headers: vary };
      return;
    }
    request.response = {
      ...response,
      headers: { ...vary, 'Content-Encoding': 'gzip' },
      body: gzipSync(response.body).toString('base64'),
      isBase64Encoded: true,
    };
  },
});
