import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a page ended, and for whom: a cursor is only good for the tenant and the filters it was made for. */
export interface CursorPosition {
  tenantId: string;
  filters: string;
  after: string;
}

export interface CursorCodec {
  encode(position: CursorPosition): string;
  /** The position, or undefined for anything forged, truncated or not a cursor. */
  decode(cursor: string): CursorPosition | undefined;
}

const MAX_CURSOR_LENGTH = 1_024;

/** What a refused cursor is told, wherever it is refused. */
export const CURSOR_MESSAGE = 'expected a cursor returned by this route for the same filters';

/**
 * Opaque, tamper-evident list cursors: the position as base64url JSON, then an HMAC-SHA256 of it under a
 * server secret. A changed byte, another tenant's cursor or another filter's is refused, never followed.
 */
export const createCursorCodec = (secret: string): CursorCodec => {
  const sign = (payload: string) => createHmac('sha256', secret).update(`list-cursor:${payload}`).digest();
  return {
    encode(position) {
      const payload = Buffer.from(JSON.stringify([position.tenantId, position.filters, position.after])).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
      const [payload, signature, ...rest] = cursor.split('.');
      if (!payload || !signature || rest.length > 0) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const [tenantId, filters, after] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
        return typeof tenantId === 'string' && typeof filters === 'string' && typeof after === 'string'
          ? { tenantId, filters, after }
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
