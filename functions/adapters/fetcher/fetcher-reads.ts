import { MatcherError } from '../../discovery/errors.ts';
import type { Call, FetcherListPage, FetcherListQuery } from '../../discovery/ports.ts';
import { answerFailure } from './error-answers.ts';
import {
  fetcherHealthSchema,
  fetcherPageSchema,
  fetcherSchemaSchema,
  isFetcherFault,
  toConnection,
  toTables,
  type FetcherAnswer,
} from './fetcher-answers.ts';
import { CONNECTIONS, connectionPath, invalidAnswer } from './fetcher-paths.ts';
import type { FetcherTransport } from './fetcher-transport.ts';
import { retryRead } from './read-retry.ts';

/** Fetcher's reads: retried with backoff inside the deadline when Fetcher itself fails, never when it refuses. */
export const fetcherReads = (send: FetcherTransport) => {
  const read = (path: string, what: string, call: Call) =>
    retryRead(async () => {
      const answer: FetcherAnswer = await send({ method: 'GET', path, call }, what);
      // Only Fetcher itself failing is worth another try; a 404, or a database it cannot reach, will not change.
      if (isFetcherFault(answer)) throw answerFailure(answer);
      return answer;
    }, call.deadline);

  return {
    async getSchema(fetcherConnectionId: string, call: Call) {
      const answer = await read(connectionPath(fetcherConnectionId, '/schema'), 'the schema request', call);
      if (answer.status !== 200) throw new MatcherError('MTCH-0207', `Fetcher answered the schema request with ${answer.status}.`);
      const parsed = fetcherSchemaSchema.safeParse(answer.json);
      if (!parsed.success) throw invalidAnswer('the schema request');
      return toTables(parsed.data);
    },

    async listConnections({ startDate, endDate, page, limit }: FetcherListQuery, call: Call): Promise<FetcherListPage> {
      const query = new URLSearchParams({ page: String(page), limit: String(limit), startDate, endDate, sortOrder: 'asc' });
      const answer = await read(`${CONNECTIONS}?${query.toString()}`, 'the listing', call);
      if (answer.status !== 200) throw answerFailure(answer);
      const parsed = fetcherPageSchema.safeParse(answer.json);
      if (!parsed.success) throw invalidAnswer('the listing');
      const connections = parsed.data.items.map(toConnection).filter((connection) => connection !== undefined);
      return { connections, itemCount: parsed.data.items.length };
    },

    async isHealthy(call: Call) {
      // Outside the breaker: the status route reports Fetcher's health, whatever the breaker thinks.
      const answer = await send({ method: 'GET', path: '/health', call, bypassBreaker: true, anonymous: true }, 'the health check').catch(
        () => undefined,
      );
      return answer?.status === 200 && fetcherHealthSchema.safeParse(answer.json).success;
    },
  };
};
