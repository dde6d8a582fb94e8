import { describe, expect, it } from 'vitest';
import { readIdempotencyKey } from '../../../functions/http/read-idempotency-key.ts';
import { answerOf, rejection, run, withHeaders } from './middy-request.ts';

const reader = readIdempotencyKey();

describe('readIdempotencyKey', () => {
  it('leaves context.idempotencyKey unset when the header is absent', async () => {
    const request = withHeaders({});
    await run(reader, 'before', request);
    expect(request.context.idempotencyKey).toBeUndefined();
  });

  it('reads an event that has no headers at all', async () => {
    const request = withHeaders({});
    request.event.headers = undefined as never;
    await run(reader, 'before', request);
    expect(request.context.idempotencyKey).toBeUndefined();
  });

  it.each(['a', 'k'.repeat(255), '7f2c9e44-1f0b-4a1e-9d55-0b8e8d7f3c21', ' padded key ', '!~ all printable ASCII ~!'])(
    'takes the key %j as sent',
    async (key) => {
      const request = withHeaders({ 'idempotency-key': key });
      await run(reader, 'before', request);
      expect(request.context.idempotencyKey).toBe(key);
    },
  );

  it.each(['', ' ', '   ', 'k'.repeat(256), 'tab\tkey', 'new\nline', 'del\x7f', 'ünïcode', 'x\x1f'])(
    'answers the key %j with 400 MTCH-0020',
    async (key) => {
      const request = withHeaders({ 'idempotency-key': key });
      expect(answerOf(await rejection(reader, 'before', request))).toMatchObject({
        status: 400,
        code: 'MTCH-0020',
        detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters.',
      });
      expect(request.context.idempotencyKey).toBeUndefined();
    },
  );
});
