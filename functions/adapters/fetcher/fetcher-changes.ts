import type { ConnectionChanges, FetcherConnection } from '../../discovery/connection.ts';
import { MatcherError } from '../../discovery/errors.ts';
import type { Call, ConnectionTest } from '../../discovery/ports.ts';
import { answerFailure, retryAfterSeconds } from './error-answers.ts';
import { fetcherTestSchema, isFetcherFault, toConnection } from './fetcher-answers.ts';
import { connectionPath, invalidAnswer } from './fetcher-paths.ts';
import type { FetcherTransport } from './fetcher-transport.ts';
import { retryRead } from './read-retry.ts';
import { FetcherFailure } from './transport-failure.ts';

// Fetcher allows 10 tests a minute per connection and says how long to wait only in its message.
const TEST_LIMIT_WINDOW_SECONDS = 60;
const WAIT_IN_MESSAGE = /try again in (\d{1,4}) seconds?/i;
// How long settling an unknown outcome may take, on top of the change's own wait.
const LOOKUP_BUDGET_MS = 3_000;

/** Fetcher's body for an update: its own field names, only the fields that change. */
const updateBody = (changes: ConnectionChanges) => ({
  ...(changes.configName === undefined ? {} : { configName: changes.configName }),
  ...(changes.databaseType === undefined ? {} : { type: changes.databaseType }),
  ...(changes.host === undefined ? {} : { host: changes.host }),
  ...(changes.port === undefined ? {} : { port: changes.port }),
  ...(changes.databaseName === undefined ? {} : { databaseName: changes.databaseName }),
  ...(changes.userName === undefined ? {} : { userName: changes.userName }),
  ...(changes.password === undefined ? {} : { password: changes.password }),
  ...(changes.schema === undefined ? {} : { schema: changes.schema }),
});

/** Whether Fetcher's connection shows every change (the password cannot be read back). */
const shows = (connection: FetcherConnection, changes: ConnectionChanges) =>
  (Object.keys(changes) as (keyof ConnectionChanges)[]).every((field) => field === 'password' || connection[field] === changes[field]);

/** Fetcher's changes to one connection (update, delete, test) and the read that settles an unknown outcome. */
export const fetcherChanges = (send: FetcherTransport) => {
  const getConnection = async (fetcherConnectionId: string, call: Call): Promise<FetcherConnection | undefined> => {
    const answer = await retryRead(async () => {
      const result = await send({ method: 'GET', path: connectionPath(fetcherConnectionId), call }, 'the connection read');
      if (isFetcherFault(result)) throw answerFailure(result);
      return result;
    }, call.deadline);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw answerFailure(answer);
    const connection = toConnection(answer.json);
    if (!connection) throw invalidAnswer('the connection read');
    return connection;
  };

  /**
   * Sends a change once. When its outcome is unknown (a timeout, a connection cut after sending), the
   * connection is read back and `settle` says whether it shows the change; it is never sent again.
   */
  const once = async <T>(
    change: () => Promise<T>,
    fetcherConnectionId: string,
    settle: (now?: FetcherConnection) => { value: T } | undefined,
    call: Call,
  ) => {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof FetcherFailure && error.mayHaveArrived)) throw error;
      const lookup = { ...call, deadline: call.deadline.within(LOOKUP_BUDGET_MS) };
      const read = await getConnection(fetcherConnectionId, lookup).then(
        (now) => ({ now }),
        () => undefined,
      );
      const outcome = read && settle(read.now);
      if (!outcome) throw error;
      return outcome.value;
    }
  };

  return {
    getConnection,

    updateConnection: (fetcherConnectionId: string, changes: ConnectionChanges, call: Call) =>
      once(
        async () => {
          const answer = await send(
            { method: 'PATCH', path: connectionPath(fetcherConnectionId), body: updateBody(changes), call },
            'the update',
          );
          if (answer.status !== 200) throw answerFailure(answer);
          const connection = toConnection(answer.json);
          if (!connection) throw invalidAnswer('the update');
          return connection;
        },
        fetcherConnectionId,
        (now) => (now && shows(now, changes) ? { value: now } : undefined),
        call,
      ),

    deleteConnection: (fetcherConnectionId: string, call: Call) =>
      once(
        async () => {
          const answer = await send({ method: 'DELETE', path: connectionPath(fetcherConnectionId), call }, 'the delete');
          // Fetcher no longer holding it is what a delete wants: a retried delete is done too.
          if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404) throw answerFailure(answer);
        },
        fetcherConnectionId,
        (now) => (now === undefined ? { value: undefined } : undefined),
        call,
      ),

    async testConnection(fetcherConnectionId: string, call: Call): Promise<ConnectionTest> {
      const started = Date.now();
      const answer = await send(
        { method: 'POST', path: connectionPath(fetcherConnectionId, '/test'), call, limitedPerResource: true },
        'the connection test',
      );
      if (answer.status === 200) {
        const parsed = fetcherTestSchema.safeParse(answer.json);
        if (!parsed.success) throw invalidAnswer('the connection test');
        return { healthy: true, latencyMs: parsed.data.latencyMs ?? Date.now() - started };
      }
      if (answer.status === 429) {
        const message = (answer.json as { message?: unknown } | undefined)?.message;
        const wait = typeof message === 'string' ? WAIT_IN_MESSAGE.exec(message)?.[1] : undefined;
        throw new MatcherError('MTCH-0210', 'Fetcher allows only a few connection tests a minute; try again later.', {
          retryAfterSeconds: wait ? retryAfterSeconds(wait) : TEST_LIMIT_WINDOW_SECONDS,
        });
      }
      // The database refused or could not be reached: the test ran, and failed.
      if (answer.status >= 500 && !isFetcherFault(answer)) return { healthy: false, latencyMs: Date.now() - started };
      throw answerFailure(answer);
    },
  };
};
