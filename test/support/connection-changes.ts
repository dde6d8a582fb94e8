import { expect } from 'vitest';
import { detailSchema } from './detail-schema.ts';
import { validBody, type Answer, type CallOptions, type TestService } from './service.ts';

/** The six fields of the seed's ConnectionResponse. */
export const VIEW_FIELDS = ['configName', 'databaseType', 'id', 'lastSeenAt', 'schemaDiscovered', 'status'];

export interface Created {
  /** Our id. */
  id: string;
  /** Fetcher's id of the same connection. */
  fetcherId: string;
  configName: string;
  /** The create's 201 body. */
  view: Record<string, unknown>;
}

/** A connection created through the create route, found in the fake Fetcher of `tenant` (the emulator's tenant). */
export const createConnection = async (
  service: TestService,
  overrides: Record<string, unknown> = {},
  { tenant = 'default', ...options }: CallOptions & { tenant?: string } = {},
): Promise<Created> => {
  const body = validBody(overrides);
  const answer = await service.call('create-connection', { body, ...options });
  expect(answer.status, answer.raw).toBe(201);
  const stored = service.fetcher.connections(tenant).find((c) => c.configName === body.configName);
  expect(stored, `${body.configName} in Fetcher`).toBeDefined();
  return { id: String(answer.body.id), fetcherId: stored!.id, configName: body.configName, view: answer.body };
};

export const patchConnection = (service: TestService, connectionId: string, body: unknown, options: CallOptions = {}) =>
  service.call('update-connection', { pathParameters: { connectionId }, body: body as object, ...options });

export const deleteConnection = (service: TestService, connectionId: string, options: CallOptions = {}) =>
  service.call('delete-connection', { pathParameters: { connectionId }, ...options });

export const getConnection = (service: TestService, connectionId: string, options: CallOptions = {}) =>
  service.call('get-connection', { pathParameters: { connectionId }, ...options });

/** A problem+json answer that follows the published Detail schema. */
export const expectProblem = (answer: Answer, status: number, code: string) => {
  expect(answer.status, answer.raw).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(detailSchema.safeParse(answer.body).success, answer.raw).toBe(true);
  expect(answer.body).toMatchObject({ status, code });
};
