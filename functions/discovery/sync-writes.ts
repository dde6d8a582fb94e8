import type { SaveOutcome } from './cache-ports.ts';
import type { CachedConnection } from './connection.ts';
import { inParallel } from './in-parallel.ts';

const ONE_AT_A_TIME_CONCURRENCY = 8;
/** Connections new to the cache go this many to a write (one DynamoDB transaction). */
export const NEW_PER_WRITE = 100;
const GROUP_CONCURRENCY = 2;

/**
 * A sync's cache writes, each checked against the run's time and lease first. One failure never stops
 * the others; the writer remembers whether anything was left undone, and how many connections were
 * cached for the first time (the count gains those).
 */
export const syncWriter = (mayContinue: () => Promise<boolean>) => {
  const state = { leftUndone: false, firstCached: 0 };
  const record = (connection: CachedConnection, outcome: SaveOutcome | 'failed', written: CachedConnection[]) => {
    if (outcome === 'created') state.firstCached++;
    if (outcome === 'created' || outcome === 'saved') written.push(connection);
    else if (outcome === 'failed') state.leftUndone = true;
  };
  return {
    state,
    /** Writes each connection by itself; resolves with those written. */
    async each(connections: CachedConnection[], save: (connection: CachedConnection) => Promise<SaveOutcome>) {
      const written: CachedConnection[] = [];
      await inParallel(connections, ONE_AT_A_TIME_CONCURRENCY, async (connection) => {
        if (!(await mayContinue())) return void (state.leftUndone = true);
        record(connection, await save(connection).catch(() => 'failed' as const), written);
      });
      return written;
    },
    /** Writes connections a group at a time; resolves with those written. */
    async grouped(connections: CachedConnection[], save: (group: CachedConnection[]) => Promise<SaveOutcome[]>) {
      const written: CachedConnection[] = [];
      const groups = Array.from({ length: Math.ceil(connections.length / NEW_PER_WRITE) }, (_, i) =>
        connections.slice(i * NEW_PER_WRITE, (i + 1) * NEW_PER_WRITE),
      );
      await inParallel(groups, GROUP_CONCURRENCY, async (group) => {
        if (!(await mayContinue())) return void (state.leftUndone = true);
        const outcomes = await save(group).catch(() => undefined);
        group.forEach((connection, index) => record(connection, outcomes?.[index] ?? 'failed', written));
      });
      return written;
    },
  };
};
