import { connectionView, type ConnectionView } from './connection.ts';
import { MatcherError } from './errors.ts';
import type { ConnectionCache, TenantSummaries } from './cache-ports.ts';
import type { Call } from './ports.ts';

export interface GetConnectionDependencies {
  cache: Pick<ConnectionCache, 'findConnection'>;
  summaries: Pick<TenantSummaries, 'read'>;
}

/** Get discovery connection: one cached connection of the caller's tenant, by our id. */
export const getConnection =
  ({ cache, summaries }: GetConnectionDependencies) =>
  async (id: string, call: Call): Promise<ConnectionView> => {
    const [connection, summary] = await Promise.all([cache.findConnection(id, call), summaries.read(call)]);
    // Another tenant's id is as unknown here as an id nobody has.
    if (!connection) throw new MatcherError('MTCH-0201', 'No discovery connection with this id exists.');
    return connectionView(connection, summary.lastListedAt);
  };
