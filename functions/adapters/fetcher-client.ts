import type { FetcherConfig } from '../config.ts';
import type { DiscoveredTable, FetcherConnection } from '../discovery/connection.ts';
import { MatcherError } from '../discovery/errors.ts';
import type { CallContext, CreateInFetcher, FetcherPort } from '../discovery/ports.ts';
import { createFetcherAuth, type FetcherAuth } from './fetcher-auth.ts';
import { createFailure } from './fetcher-errors.ts';
import { fetcherConnectionSchema, fetcherSchemaSchema } from './fetcher-responses.ts';
import { createFetcherTransport } from './fetcher-transport.ts';

const CONNECTIONS = '/v1/management/connections';

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

/** The FetcherPort over Fetcher's HTTP API (reference/fetcher-api.md). */
export const createFetcherClient = (config: FetcherConfig, auth: FetcherAuth = createFetcherAuth(config.auth)): FetcherPort => {
  const send = createFetcherTransport(config, auth);

  return {
    async createConnection(input: CreateInFetcher, call: CallContext): Promise<FetcherConnection> {
      const answer = await send({ method: 'POST', path: CONNECTIONS, body: createBody(input), call }, 'the create');
      // Fetcher's own E2E client accepts 200 as well as 201.
      if (answer.status !== 201 && answer.status !== 200) throw createFailure(answer);
      const parsed = fetcherConnectionSchema.safeParse(answer.json);
      if (!parsed.success) throw invalidAnswer('the create');
      const { id, type, schema, productName, ...rest } = parsed.data;
      return {
        ...rest,
        fetcherConnectionId: id,
        databaseType: type,
        ...(schema ? { schema } : {}),
        ...(productName ? { productName } : {}),
      };
    },

    async getSchema(fetcherConnectionId: string, call: CallContext): Promise<DiscoveredTable[]> {
      const path = `${CONNECTIONS}/${encodeURIComponent(fetcherConnectionId)}/schema`;
      const answer = await send({ method: 'GET', path, call }, 'the schema request');
      if (answer.status !== 200) throw new MatcherError('MTCH-0207', `Fetcher answered the schema request with ${answer.status}.`);
      const parsed = fetcherSchemaSchema.safeParse(answer.json);
      if (!parsed.success) throw invalidAnswer('the schema request');
      return parsed.data.tables;
    },
  };
};
