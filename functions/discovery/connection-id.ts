import { v5 as uuidv5 } from 'uuid';

/** Fixed for good: changing it would give every cached connection a new id, and break the sync's matching. */
export const CONNECTION_ID_NAMESPACE = '2f1c7a52-5d7e-4c1e-9a55-3b8f0d6c9e41';

/** Our public id: deterministic, so a later sync of the same Fetcher connection derives the same one. */
export const connectionId = (tenantId: string, fetcherConnectionId: string): string =>
  uuidv5(`${tenantId}/${fetcherConnectionId}`, CONNECTION_ID_NAMESPACE);
