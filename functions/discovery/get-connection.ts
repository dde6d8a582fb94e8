import { connectionView, type ConnectionView } from './connection.ts';
import { MatcherError } from './errors.ts';
import type { Call, ConnectionCache } from './ports.ts';

/** Get discovery connection: one cached connection of the caller's tenant, by our id. */
export const getConnection =
  ({ cache }: { cache: Pick<ConnectionCache, 'findConnection'> }) =>
  async (id: string, call: Call): Promise<ConnectionView> => {
    const connection = await cache.findConnection(id, call);
    // Another tenant's id is as unknown here as an id nobody has.
    if (!connection) throw new MatcherError('MTCH-0201', 'No discovery connection with this id exists.');
    return connectionView(connection);
  };
