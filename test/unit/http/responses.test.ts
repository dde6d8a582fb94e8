import { describe, expect, it } from 'vitest';
import { created, ok } from '../../../functions/http/responses.ts';

const view = {
  id: '0b8e8d7f-3c21-5a1e-9d55-7f2c9e441f0b',
  configName: 'ledger',
  databaseType: 'POSTGRESQL' as const,
  status: 'AVAILABLE' as const,
  schemaDiscovered: true,
  lastSeenAt: '2026-01-01T00:00:00.000Z',
};

describe('responses', () => {
  it('answers a created connection with 201, its JSON and where to find it', () => {
    const response = created(view);
    expect(response).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Location: `/v1/discovery/connections/${view.id}` },
      body: JSON.stringify(view),
    });
  });

  it('answers a read with 200 and its JSON, never cached', () => {
    expect(ok({ items: [1] })).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: '{"items":[1]}',
    });
  });
});
