import type { DiscoveredTable, FetcherConnection } from '../../discovery/connection.ts';
import { MatcherError } from '../../discovery/errors.ts';
import type { Call, CreateInFetcher, FetcherPort } from '../../discovery/ports.ts';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.ts';
import { createFailure } from './error-answers.ts';
import { fetcherConnectionSchema, fetcherPageSchema, fetcherSchemaSchema, isFetcherFault } from './fetcher-answers.ts';
import { createFetcherAuth, type FetcherAuth } from './fetcher-auth.ts';
import type { FetcherClientOptions } from './fetcher-options.ts';
import { createFetcherTransport } from './fetcher-transport.ts';
import { retryRead } from './read-retry.ts';
import { FetcherFailure } from './transport-failure.ts';

const CONNECTIONS = '/v1/management/connections';
// How long the lookup of a create whose outcome is unknown may take, on top of the create's own wait.
const LOOKUP_BUDGET_MS = 3_000;

const invalidAnswer = (what: string) => new MatcherError('MTCH-0207', `Fetcher answered ${what} with an invalid body.`);

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

const toConnection = (answer: unknown): FetcherConnection | undefined => {
  const parsed = fetcherConnectionSchema.safeParse(answer);
  if (!parsed.success) return undefined;
  const { id, type, schema, productName, metadata: _, ...rest } = parsed.data;
  return { ...rest, fetcherConnectionId: id, databaseType: type, ...(schema ? { schema } : {}), ...(productName ? { productName } : {}) };
};

export interface FetcherClientParts {
  auth?: FetcherAuth;
  breaker?: CircuitBreaker;
}

/** The FetcherPort over Fetcher's HTTP API (reference/fetcher-api.md). */
export const createFetcherClient = (config: FetcherClientOptions, parts: FetcherClientParts = {}): FetcherPort => {
  const auth = parts.auth ?? createFetcherAuth(config.auth);
  const breaker = parts.breaker ?? createCircuitBreaker(config.breaker);
  const send = createFetcherTransport(config, auth, breaker);

  /** The connection a create with this request id produced, if Fetcher holds one. */
  const findCreated = async (matcherRequestId: string, call: Call): Promise<FetcherConnection | undefined> => {
    const query = new URLSearchParams({ 'metadata.matcherRequestId': matcherRequestId, limit: '10' });
    const answer = await retryRead(async () => {
      // The lookup runs even while the circuit is open: the create it checks on may be what opened it.
      const page = await send({ method: 'GET', path: `${CONNECTIONS}?${query}`, call, bypassBreaker: true }, 'the lookup');
      if (isFetcherFault(page)) throw createFailure(page);
      return page;
    }, call.deadline);
    if (answer.status !== 200) throw createFailure(answer);
    const page = fetcherPageSchema.safeParse(answer.json);
    if (!page.success) throw invalidAnswer('the lookup');
    // Trust the item's own metadata, not the filter: a Fetcher that ignored it would list others.
    const item = page.data.items
      .map((candidate) => fetcherConnectionSchema.safeParse(candidate).data)
      .find((c) => c?.metadata?.matcherRequestId === matcherRequestId);
    return item === undefined ? undefined : toConnection(item);
  };

  return {
    async createConnection(input: CreateInFetcher, call: Call): Promise<FetcherConnection> {
      let answer;
      try {
        answer = await send({ method: 'POST', path: CONNECTIONS, body: createBody(input), call }, 'the create');
      } catch (error) {
        // Never sent again blindly: if the create may have arrived, ask Fetcher what became of it.
        if (error instanceof FetcherFailure && error.mayHaveArrived) {
          const lookup = { ...call, deadline: call.deadline.within(LOOKUP_BUDGET_MS) };
          const found = await findCreated(input.matcherRequestId, lookup).catch(() => undefined);
          if (found) return found;
        }
        throw error;
      }
      // Fetcher's own E2E client accepts 200 as well as 201.
      if (answer.status !== 201 && answer.status !== 200) throw createFailure(answer);
      const connection = toConnection(answer.json);
      if (!connection) throw invalidAnswer('the create');
      return connection;
    },

    async getSchema(fetcherConnectionId: string, call: Call): Promise<DiscoveredTable[]> {
      const path = `${CONNECTIONS}/${encodeURIComponent(fetcherConnectionId)}/schema`;
      const answer = await retryRead(async () => {
        const result = await send({ method: 'GET', path, call }, 'the schema request');
        // Only Fetcher itself failing is worth another try; a 404, or a database it cannot reach, will not change.
        if (isFetcherFault(result)) throw createFailure(result);
        return result;
      }, call.deadline);
      if (answer.status !== 200) throw new MatcherError('MTCH-0207', `Fetcher answered the schema request with ${answer.status}.`);
      const parsed = fetcherSchemaSchema.safeParse(answer.json);
      if (!parsed.success) throw invalidAnswer('the schema request');
      return parsed.data.tables;
    },
  };
};
