import { createIdempotencyRecords } from '../adapters/dynamodb/idempotency-persistence.ts';
import { idempotencySection } from '../config/idempotency-section.ts';
import { idempotency, type IdempotencyRecords } from '../http/idempotency.ts';
import { errorFields } from '../observability/error-fields.ts';
import { logger } from '../observability/logger.ts';
import { part, sectionPart, type Container } from './container.ts';
import { dynamodbClient } from './dynamodb.ts';

export const idempotencyOptions = sectionPart(idempotencySection);

export const idempotencyRecords = part<IdempotencyRecords>(async (container) =>
  createIdempotencyRecords(await dynamodbClient(container), await idempotencyOptions(container)),
);

/** The Idempotency-Key middleware of one route: its records are scoped to the route's name. */
export const idempotencyFor = async (container: Container, route: string) =>
  idempotency({
    route,
    records: await idempotencyRecords(container),
    observer: {
      recordFailed: (error) => logger.error('idempotency record not updated', { error: errorFields(error) }),
    },
  });
