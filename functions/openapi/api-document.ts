import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import type { HostPolicy } from '../discovery/host-policy.ts';
import { connectionRequestSchema, connectionUpdateSchema } from '../http/connection-request-schema.ts';
import { listQuerySchema } from '../http/list-query-schema.ts';
import { connectionPath } from '../http/path-schemas.ts';
import { ROUTES } from '../routes.ts';
import { operationsFor, type OperationSpec } from './operations.ts';
import { DETAIL_REF, EVERY_ROUTE, problemResponses } from './problem-responses.ts';
import { detailSchema, errorDetailSchema } from './response-schemas.ts';

export const API_VERSION = '4.1.0';

// The document describes the rules, not this deployment's policy or secrets: every host and every
// cursor passes here, and neither check shows in a JSON Schema anyway.
const ANY_HOST = { check: () => ({ allowed: true }) } as unknown as HostPolicy;
const NO_CURSOR = { decode: () => undefined };

const SCOPES = { read: ['discovery:read', 'discovery:write'], write: ['discovery:write'] } as const;

const idempotencyKey = z.object({
  'Idempotency-Key': z.string().min(1).max(255).optional().meta({
    description: 'Makes a retry safe: the same key with the same body answers the first answer (24 h); with another body, 422 MTCH-0019.',
  }),
});
const ifNoneMatch = z.object({
  'If-None-Match': z
    .string()
    .optional()
    .meta({ description: 'An ETag this route answered before: 304 Not Modified while the answer is the same.' }),
});

const responsesOf = (spec: OperationSpec): ZodOpenApiResponsesObject => {
  const success = Object.fromEntries(
    Object.entries(spec.success).map(([status, s]) => [
      status,
      {
        description: s.description,
        ...(s.location ? { headers: { Location: { $ref: '#/components/headers/Location' } } } : {}),
        ...(spec.conditional ? { headers: { ETag: { $ref: '#/components/headers/ETag' } } } : {}),
        ...(s.component
          ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${s.component}` }, example: s.example } } }
          : {}),
      },
    ]),
  );
  const notModified = spec.conditional
    ? {
        304: {
          description: 'Not Modified: the If-None-Match ETag is still current',
          headers: { ETag: { $ref: '#/components/headers/ETag' } },
        },
      }
    : {};
  return {
    ...success,
    ...notModified,
    ...problemResponses([...spec.problems, ...EVERY_ROUTE]),
    default: { description: 'Error', content: { 'application/problem+json': { schema: DETAIL_REF } } },
  };
};

const operationOf = (spec: OperationSpec): ZodOpenApiOperationObject => {
  const scopes = SCOPES[spec.permission];
  return {
    operationId: spec.operationId,
    tags: ['Discovery'],
    summary: spec.summary,
    description: `${spec.description}\n\nPermission: ${scopes.map((scope) => `\`${scope}\``).join(' or ')}.`,
    security: scopes.map((scope) => ({ BearerAuth: [scope] })),
    requestParams: {
      ...(spec.path ? { path: spec.path } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.idempotent ? { header: idempotencyKey } : spec.conditional ? { header: ifNoneMatch } : {}),
    },
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body.schema, examples: spec.body.examples } } } }
      : {}),
    responses: responsesOf(spec),
  };
};

/**
 * The OpenAPI 3.1 document of every route of functions/routes.ts, generated from the zod schemas the
 * handlers validate with (requests) and the answer schemas held to the use cases' types (responses).
 */
export const apiDocument = () => {
  const requests = {
    create: connectionRequestSchema(ANY_HOST),
    update: connectionUpdateSchema(ANY_HOST).meta({ minProperties: 1 }),
    listQuery: listQuerySchema(NO_CURSOR),
    connectionPath,
  };
  const operations = operationsFor(requests);
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    const spec = operations[route.name];
    if (!spec) throw new Error(`no operation for ${route.routeKey} (functions/openapi/operations.ts)`);
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(spec) };
  }
  const answers = Object.fromEntries(
    Object.values(operations).flatMap((spec) =>
      Object.values(spec.success).flatMap((s) => (s.component && s.schema ? [[s.component, s.schema]] : [])),
    ),
  );
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Matcher Discovery API',
        description:
          "Lerian Matcher's discovery-connection routes on AWS Lambda: provision database connections in Fetcher under the product `matcher`, and read the discovery cache (connections, schemas, status). Errors are RFC 9457 problem details (`application/problem+json`, schema `Detail`).",
        version: API_VERSION,
      },
      servers: [{ url: '/', description: 'This API, wherever the document is served from' }],
      security: [],
      tags: [{ name: 'Discovery' }],
      paths,
      components: {
        schemas: {
          ConnectionProvisioningRequest: requests.create,
          ConnectionUpdateRequest: requests.update,
          ...answers,
          Detail: detailSchema,
          ErrorDetail: errorDetailSchema,
        },
        headers: {
          Location: { description: 'The created connection: /v1/discovery/connections/{id}', schema: { type: 'string' } },
          ETag: { description: 'A weak tag of the answer, for If-None-Match', schema: { type: 'string' } },
          RetryAfter: { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
          WWWAuthenticate: { description: 'RFC 6750 Bearer challenge', schema: { type: 'string' } },
        },
        securitySchemes: {
          BearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'Bearer token authentication (format: "Bearer {token}"). The token\'s `scope` (space separated), `scp` or `permissions` claim carries the permission: `discovery:read` for the read routes (`discovery:write` also serves), `discovery:write` for the others. In multi-tenant mode its tenant claim (a UUID) picks the tenant.',
          },
        },
      },
    },
    {
      // z.int()'s safe-integer bounds say nothing a reader needs.
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      },
    },
  );
};
