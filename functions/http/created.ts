import type { ConnectionView } from '../discovery/connection.ts';
import type { HttpResult } from './request-context.ts';

/** 201 with the seed's ConnectionResponse and where to find it; a replay says it is one. */
export const created = (view: ConnectionView, replayed = false): HttpResult => ({
  statusCode: 201,
  headers: {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    Location: `/v1/discovery/connections/${view.id}`,
    ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
  },
  body: JSON.stringify(view),
});
