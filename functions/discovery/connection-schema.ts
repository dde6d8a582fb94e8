import type { ConnectionCache, SchemaSnapshots } from './cache-ports.ts';
import type { DiscoveredColumn } from './connection.ts';
import { MatcherError } from './errors.ts';
import type { Call } from './ports.ts';
import { canonicalTables } from './schema-fingerprint.ts';

/** Matcher's ConnectionSchemaResponse: tables sorted by name; type and nullable only when Fetcher gave them. */
export interface ConnectionSchema {
  connectionId: string;
  tables: { tableName: string; columns: DiscoveredColumn[] }[];
}

export const notFound = () => new MatcherError('MTCH-0201', 'No discovery connection with this id exists.');

/** Get connection schema: the stored snapshot; no tables until one is discovered, nor while UNREACHABLE. */
export const getConnectionSchema =
  ({ cache, snapshots }: { cache: Pick<ConnectionCache, 'findConnection'>; snapshots: Pick<SchemaSnapshots, 'readSnapshot'> }) =>
  async (id: string, call: Call): Promise<ConnectionSchema> => {
    const connection = await cache.findConnection(id, call);
    if (!connection) throw notFound();
    const tables = connection.status === 'AVAILABLE' && connection.schemaDiscovered ? await snapshots.readSnapshot(connection, call) : [];
    return { connectionId: id, tables: canonicalTables(tables).map(({ name, columns }) => ({ tableName: name, columns })) };
  };
