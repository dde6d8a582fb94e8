import type { ConnectionView } from '../discovery/connection.ts';
import type { HttpResult } from './request-state.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/** 201 with the created connection (Matcher's ConnectionResponse) and where to find it. */
export const created = (view: ConnectionView): HttpResult => ({
  statusCode: 201,
  headers: { ...JSON_HEADERS, Location: `/v1/discovery/connections/${view.id}` },
  body: JSON.stringify(view),
});

/** 200 with a JSON body. */
export const ok = (body: unknown): HttpResult => ({ statusCode: 200, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });

/** 202: the work goes on in the background. */
export const accepted = (body: unknown): HttpResult => ({ statusCode: 202, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });

/** 204: done, nothing to say. */
export const noContent = (): HttpResult => ({ statusCode: 204, headers: { 'Cache-Control': 'no-store' } });
