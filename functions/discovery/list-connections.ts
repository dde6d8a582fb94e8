import type { ConnectionCache, TenantSummaries } from './cache-ports.ts';
import { connectionView, type ConnectionStatus, type ConnectionView } from './connection.ts';
import type { DatabaseType } from './database-types.ts';
import { MatcherError } from './errors.ts';
import { CURSOR_MESSAGE, type CursorCodec } from './list-cursor.ts';
import type { Call } from './ports.ts';

export interface ListRequest {
  status?: ConnectionStatus;
  databaseType?: DatabaseType;
  cursor?: string;
  limit: number;
}

/** Matcher's envelope, plus the cursor of the next page when there is one. */
export interface ConnectionList {
  connections: ConnectionView[];
  nextCursor?: string;
}

export interface ListDependencies {
  cache: Pick<ConnectionCache, 'listConnections'>;
  summaries: Pick<TenantSummaries, 'read'>;
  cursors: CursorCodec;
}

const invalidCursor = () =>
  new MatcherError('MTCH-0005', 'The query string failed validation.', {
    errors: [{ location: 'query.cursor', message: CURSOR_MESSAGE }],
  });

/** List discovery connections: one page of the caller's tenant, in id order, filtered by status and type. */
export const listConnections =
  ({ cache, summaries, cursors }: ListDependencies) =>
  async (request: ListRequest, call: Call): Promise<ConnectionList> => {
    const filters = `${request.status ?? ''}|${request.databaseType ?? ''}`;
    let after: string | undefined;
    if (request.cursor !== undefined) {
      const position = cursors.decode(request.cursor);
      // Another tenant's cursor is refused as a forged one: it never opens another tenant's page.
      if (!position || position.tenantId !== call.tenantId || position.filters !== filters) throw invalidCursor();
      after = position.after;
    }
    const query = {
      ...(request.status ? { status: request.status } : {}),
      ...(request.databaseType ? { databaseType: request.databaseType } : {}),
      ...(after ? { after } : {}),
      limit: request.limit,
    };
    const [page, summary] = await Promise.all([cache.listConnections(query, call), summaries.read(call)]);
    const last = page.connections.at(-1);
    return {
      connections: page.connections.map((connection) => connectionView(connection, summary.lastListedAt)),
      ...(page.more && last ? { nextCursor: cursors.encode({ tenantId: call.tenantId, filters, after: last.id }) } : {}),
    };
  };
