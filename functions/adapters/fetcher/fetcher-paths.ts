import { MatcherError } from '../../discovery/errors.ts';

export const CONNECTIONS = '/v1/management/connections';

/** A connection's own path (or a sub-resource of it). */
export const connectionPath = (fetcherConnectionId: string, sub = '') => `${CONNECTIONS}/${encodeURIComponent(fetcherConnectionId)}${sub}`;

export const invalidAnswer = (what: string) => new MatcherError('MTCH-0207', `Fetcher answered ${what} with an invalid body.`);
