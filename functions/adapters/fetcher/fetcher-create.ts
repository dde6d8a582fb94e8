import type { FetcherConnection } from '../../discovery/connection.ts';
import type { Call, CreateInFetcher } from '../../discovery/ports.ts';
import { answerFailure } from './error-answers.ts';
import { fetcherConnectionSchema, fetcherPageSchema, isFetcherFault, toConnection } from './fetcher-answers.ts';
import { CONNECTIONS, invalidAnswer } from './fetcher-paths.ts';
import type { FetcherTransport } from './fetcher-transport.ts';
import { retryRead } from './read-retry.ts';
import { FetcherFailure } from './transport-failure.ts';

// How long the lookup of a create whose outcome is unknown may take, on top of the create's own wait.
const LOOKUP_BUDGET_MS = 3_000;

/** Fetcher's body for a create: its own field names, only the fields it knows, and our request id. */
const createBody = (input: CreateInFetcher) => ({
  configName: input.configName,
  type: input.databaseType,
  host: input.host,
  port: input.port,
  databaseName: input.databaseName,
  userName: input.userName,
  ...(input.password === undefined ? {} : { password: input.password }),
  ...(input.schema === undefined ? {} : { schema: input.schema }),
  metadata: { matcherRequestId: input.matcherRequestId },
});

/**
 * POST /v1/management/connections, never sent twice blindly: when its outcome is unknown (a timeout,
 * a connection cut after sending) Fetcher is asked, by our request id, whether the connection exists.
 */
export const fetcherCreate = (send: FetcherTransport) => {
  /** The connection a create with this request id produced, if Fetcher holds one. */
  const findCreated = async (matcherRequestId: string, call: Call): Promise<FetcherConnection | undefined> => {
    const query = new URLSearchParams({ 'metadata.matcherRequestId': matcherRequestId, limit: '10' });
    const answer = await retryRead(async () => {
      // The lookup runs even while the circuit is open: the create it checks on may be what opened it.
      const page = await send({ method: 'GET', path: `${CONNECTIONS}?${query.toString()}`, call, bypassBreaker: true }, 'the lookup');
      if (isFetcherFault(page)) throw answerFailure(page);
      return page;
    }, call.deadline);
    if (answer.status !== 200) throw answerFailure(answer);
    const page = fetcherPageSchema.safeParse(answer.json);
    if (!page.success) throw invalidAnswer('the lookup');
    // Trust the item's own metadata, not the filter: a Fetcher that ignored it would list others.
    const item = page.data.items.find(
      (candidate) => fetcherConnectionSchema.safeParse(candidate).data?.metadata?.matcherRequestId === matcherRequestId,
    );
    return item === undefined ? undefined : toConnection(item);
  };

  return async (input: CreateInFetcher, call: Call): Promise<FetcherConnection> => {
    let answer;
    try {
      answer = await send({ method: 'POST', path: CONNECTIONS, body: createBody(input), call }, 'the create');
    } catch (error) {
      if (error instanceof FetcherFailure && error.mayHaveArrived) {
        const lookup = { ...call, deadline: call.deadline.within(LOOKUP_BUDGET_MS) };
        const found = await findCreated(input.matcherRequestId, lookup).catch(() => undefined);
        if (found) return found;
      }
      throw error;
    }
    // Fetcher's own E2E client accepts 200 as well as 201.
    if (answer.status !== 201 && answer.status !== 200) throw answerFailure(answer);
    const connection = toConnection(answer.json);
    if (!connection) throw invalidAnswer('the create');
    return connection;
  };
};
