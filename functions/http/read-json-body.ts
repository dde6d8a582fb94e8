import type { MiddlewareObj } from '@middy/core';
import { MatcherError } from '../discovery/errors.ts';
import type { RouteContext, HttpEvent, HttpResult } from './request-state.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** application/json or application/<anything>+json, any case, parameters allowed; UTF-8 only. */
export const isJsonMediaType = (contentType: string): boolean => {
  const [essence = '', ...parameters] = contentType.split(';');
  const mediaType = essence.trim().toLowerCase();
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9!#$&^_.-]+\+json$/.test(mediaType)) return false;
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
};

// Base64 grows 4:3; a body whose decoded size is surely over the cap is refused without decoding it.
const decodedSizeAtLeast = (base64: string): number => Math.floor((base64.length * 3) / 4) - 2;

/**
 * Reads the request body as JSON: media type (415), size cap before any parsing (413), then empty or
 * malformed JSON (400). Parse errors never echo the input. The parsed value goes to context.json.
 */
export const readJsonBody = ({ maxBodyBytes }: { maxBodyBytes: number }): MiddlewareObj<HttpEvent, HttpResult, Error, RouteContext> => ({
  before: (request) => {
    const { headers, body, isBase64Encoded } = request.event;
    const contentType = headers?.['content-type'];
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      throw new MatcherError('MTCH-0006', 'Content-Type must be application/json.');
    }
    const raw = body ?? '';
    if (isBase64Encoded && decodedSizeAtLeast(raw) > maxBodyBytes) throw tooLarge(maxBodyBytes);
    const bytes = isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (bytes.length > maxBodyBytes) throw tooLarge(maxBodyBytes);

    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new MatcherError('MTCH-0001', 'The request body is not valid UTF-8.');
    }
    if (text.trim() === '') throw new MatcherError('MTCH-0001', 'The request body is empty.');
    try {
      request.context.json = JSON.parse(text);
    } catch {
      throw new MatcherError('MTCH-0001', 'The request body is not valid JSON.');
    }
  },
});

const tooLarge = (maxBodyBytes: number) => new MatcherError('MTCH-0007', `The request body is larger than ${maxBodyBytes} bytes.`);
