import type * as z from 'zod';
import type { ErrorCode } from '../discovery/errors.ts';
import type { Permission } from '../http/authenticate.ts';
import * as example from './examples.ts';
import { CALLS_FETCHER, IDEMPOTENT, WITH_BODY } from './problem-responses.ts';
import * as answer from './response-schemas.ts';

/** A success response: its schema (a component name, or none for 204) and an example. */
export interface Success {
  description: string;
  component?: string;
  schema?: z.ZodType;
  example?: unknown;
  /** Location on a 201. */
  location?: boolean;
}

/** What the document says of one route, besides what every route shares. */
export interface OperationSpec {
  operationId: string;
  summary: string;
  description: string;
  permission: Permission;
  path?: z.ZodObject;
  query?: z.ZodObject;
  body?: { component: string; schema: z.ZodType; examples: Record<string, { summary: string; value: unknown }> };
  idempotent?: boolean;
  /** GET answers an ETag, honours If-None-Match with 304, and gzips for clients that accept it. */
  conditional?: boolean;
  success: Record<number, Success>;
  problems: readonly ErrorCode[];
}

/** The request schemas the routes validate with, as functions/http builds them. */
export interface RequestSchemas {
  create: z.ZodType;
  update: z.ZodType;
  listQuery: z.ZodObject;
  connectionPath: z.ZodObject;
}

const CONNECTION: Success = {
  description: 'The connection',
  component: 'ConnectionResponse',
  schema: answer.connectionResponseSchema,
  example: example.CONNECTION,
};

/** Every route of functions/routes.ts, by its function's name. */
export const operationsFor = (schemas: RequestSchemas): Record<string, OperationSpec> => ({
  'create-connection': {
    operationId: 'createDiscoveryConnection',
    summary: 'Create discovery connection',
    description:
      'Provisions a Fetcher connection scoped to Matcher and synchronizes the local discovery cache. The schema is discovered within a short budget; `schemaDiscovered` says whether it was. Send an `Idempotency-Key` to make a retry safe: a replay answers what the first request answered.',
    permission: 'write',
    body: {
      component: 'ConnectionProvisioningRequest',
      schema: schemas.create,
      examples: { postgres: { summary: 'A PostgreSQL database, by alias', value: example.CREATE_BODY } },
    },
    idempotent: true,
    success: { 201: { ...CONNECTION, description: 'Created', location: true } },
    problems: [...WITH_BODY, ...IDEMPOTENT, 'MTCH-0206', 'MTCH-0209', ...CALLS_FETCHER],
  },
  'list-connections': {
    operationId: 'listDiscoveryConnections',
    summary: 'List discovery connections',
    description:
      "One page of the caller's tenant's connections in a stable (id) order, filtered by status and database type. Without `limit` the page holds 50; `nextCursor` is present while more follow. Matcher's envelope `{connections}`, plus the cursor.",
    permission: 'read',
    query: schemas.listQuery,
    conditional: true,
    success: {
      200: {
        description: 'A page of connections',
        component: 'ConnectionListResponse',
        schema: answer.connectionListSchema,
        example: example.LIST,
      },
    },
    problems: ['MTCH-0005'],
  },
  'get-connection': {
    operationId: 'getDiscoveryConnection',
    summary: 'Get discovery connection',
    description: "One cached connection of the caller's tenant, by Matcher's id. Fetcher is not called.",
    permission: 'read',
    path: schemas.connectionPath,
    conditional: true,
    success: { 200: CONNECTION },
    problems: ['MTCH-0005', 'MTCH-0201'],
  },
  'update-connection': {
    operationId: 'updateDiscoveryConnection',
    summary: 'Update discovery connection',
    description:
      "Updates a Matcher-owned Fetcher connection and synchronizes the local discovery cache. Any of the create's fields, at least one; a change of where it points (host, port, databaseName, schema, userName, password) rediscovers the schema. A connection of another product is 403. `Idempotency-Key` works as on the create.",
    permission: 'write',
    path: schemas.connectionPath,
    body: {
      component: 'ConnectionUpdateRequest',
      schema: schemas.update,
      examples: { host: { summary: 'Point it at another host', value: { host: 'db2.example.com' } } },
    },
    idempotent: true,
    success: { 200: { ...CONNECTION, description: 'OK' } },
    problems: [...WITH_BODY, ...IDEMPOTENT, 'MTCH-0201', 'MTCH-0206', 'MTCH-0209', 'MTCH-0211', ...CALLS_FETCHER],
  },
  'delete-connection': {
    operationId: 'deleteDiscoveryConnection',
    summary: 'Delete discovery connection',
    description:
      'Soft-deletes a Matcher-owned connection in Fetcher, then removes it and its schema from the cache. Its configName can be created again afterwards. Not a published Matcher route: an extension of this service.',
    permission: 'write',
    path: schemas.connectionPath,
    success: { 204: { description: 'Deleted' } },
    problems: ['MTCH-0005', 'MTCH-0201', 'MTCH-0211', ...CALLS_FETCHER],
  },
  'get-connection-schema': {
    operationId: 'getDiscoveryConnectionSchema',
    summary: 'Get connection schema',
    description:
      'All discovered tables of one connection, from the stored snapshot, sorted by name. `tables` is empty until the schema is discovered and while the connection is UNREACHABLE. Column `type` and `nullable` appear only when Fetcher reports them.',
    permission: 'read',
    path: schemas.connectionPath,
    conditional: true,
    success: {
      200: {
        description: 'Schema for the connection',
        component: 'ConnectionSchemaResponse',
        schema: answer.connectionSchemaSchema,
        example: example.SCHEMA,
      },
    },
    problems: ['MTCH-0005', 'MTCH-0201'],
  },
  'test-connection': {
    operationId: 'testDiscoveryConnection',
    summary: 'Test discovery connection',
    description:
      'Fetcher dials the database. A failed dial is an answer, not an error: 200 with `healthy: false`. Fetcher allows 10 tests a minute per connection (429).',
    permission: 'write',
    path: schemas.connectionPath,
    success: {
      200: {
        description: 'Test result',
        component: 'TestConnectionResponse',
        schema: answer.testConnectionResponseSchema,
        example: { connectionId: example.CONNECTION.id, healthy: true, latencyMs: 42 },
      },
    },
    problems: ['MTCH-0005', 'MTCH-0201', 'MTCH-0210', ...CALLS_FETCHER],
  },
  'refresh-discovery': {
    operationId: 'refreshDiscovery',
    summary: 'Refresh discovery',
    description:
      "Forces an immediate sync of the caller's tenant with Fetcher: its connections and their schemas. 200 when it ends within the request, 202 when it goes on in the background.",
    permission: 'write',
    success: {
      200: {
        description: 'Refresh result',
        component: 'RefreshDiscoveryResponse',
        schema: answer.refreshDoneSchema,
        example: { connectionsSynced: 42 },
      },
      202: {
        description: 'Refresh goes on in the background',
        component: 'RefreshDiscoveryAcceptedResponse',
        schema: answer.refreshAcceptedSchema,
        example: { connectionsSynced: 17, complete: false },
      },
    },
    problems: ['MTCH-0205', ...CALLS_FETCHER],
  },
  'discovery-status': {
    operationId: 'getDiscoveryStatus',
    summary: 'Get discovery status',
    description: "Fetcher's health, the tenant's connection count, and its last or running sync.",
    permission: 'read',
    conditional: true,
    success: {
      200: {
        description: 'Discovery status',
        component: 'DiscoveryStatusResponse',
        schema: answer.discoveryStatusSchema,
        example: example.STATUS,
      },
    },
    problems: [],
  },
});
