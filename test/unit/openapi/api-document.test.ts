import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.ts';
import { schemaValidators } from '../../support/schema-validators.ts';
import { API_DOCUMENT_FILE, apiDocumentText } from '../../tools/api-document-file.ts';

const generated = apiDocumentText();
const document = JSON.parse(generated);
const operations = ROUTES.map((route) => ({ route, operation: document.paths[route.path]?.[route.method.toLowerCase()] }));

describe('the OpenAPI document', () => {
  it('is committed exactly as the code generates it (npm run openapi writes it)', () => {
    const committed = readFileSync(API_DOCUMENT_FILE, 'utf8');
    expect(committed === generated, 'functions/openapi-document/matcher-discovery.json is stale: run npm run openapi and commit it').toBe(
      true,
    );
  });

  it('is OpenAPI 3.1 with an operation for every route of functions/routes.ts, and no other', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const { route, operation } of operations) expect(operation, route.routeKey).toBeDefined();
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('createDiscoveryConnection');
    expect(ids).toContain('updateDiscoveryConnection');
  });

  it('secures every operation with the bearer JWT and the scopes it accepts, named in its description too', () => {
    expect(document.components.securitySchemes.BearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const { route, operation } of operations) {
      const scopes = operation.security.map((requirement: Record<string, string[]>) => requirement.BearerAuth);
      const read = route.method === 'GET';
      expect(scopes, route.routeKey).toEqual(read ? [['discovery:read'], ['discovery:write']] : [['discovery:write']]);
      expect(operation.description).toContain(
        read ? 'Permission: `discovery:read` or `discovery:write`.' : 'Permission: `discovery:write`.',
      );
    }
  });

  it('answers every error as the published Detail, in problem+json, with an example per code', () => {
    for (const { route, operation } of operations) {
      expect(operation.responses.default.content['application/problem+json'].schema, route.routeKey).toEqual({
        $ref: '#/components/schemas/Detail',
      });
      for (const status of ['401', '403', '500']) expect(operation.responses[status], `${route.routeKey} ${status}`).toBeDefined();
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        if (!/^[45]/.test(status)) continue;
        const content = response.content['application/problem+json'];
        expect(content.schema).toEqual({ $ref: '#/components/schemas/Detail' });
        for (const [code, example] of Object.entries<any>(content.examples)) {
          expect(example.value).toMatchObject({ code, status: Number(status) });
          expect(response.description).toContain(code);
        }
      }
    }
  });

  it('gives every schema as valid JSON Schema 2020-12, and every example as valid for its schema', () => {
    const validator = schemaValidators(document);
    for (const name of Object.keys(document.components.schemas)) expect(() => validator(name), name).not.toThrow();
    const check = (ref: string | undefined, value: unknown, where: string) => {
      if (!ref) return;
      const validate = validator(ref.replace('#/components/schemas/', ''));
      expect(validate(value), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    for (const { route, operation } of operations) {
      const body = operation.requestBody?.content['application/json'];
      for (const example of Object.values<any>(body?.examples ?? {})) check(body.schema.$ref, example.value, `${route.routeKey} request`);
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        for (const media of Object.values<any>(response.content ?? {})) {
          if (media.example !== undefined) check(media.schema.$ref, media.example, `${route.routeKey} ${status}`);
          for (const example of Object.values<any>(media.examples ?? {}))
            check(media.schema.$ref, example.value, `${route.routeKey} ${status}`);
        }
      }
    }
  });

  it("describes the create's body as the handler validates it: required fields, bounds, no unknown property", () => {
    const request = document.components.schemas.ConnectionProvisioningRequest;
    expect(request.required).toEqual(['configName', 'databaseType', 'host', 'port', 'databaseName', 'userName']);
    expect(request.additionalProperties).toBe(false);
    expect(request.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(request.properties.configName).toMatchObject({ minLength: 3, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
    expect(request.properties.password).toMatchObject({ type: 'string', writeOnly: true });
    const update = document.components.schemas.ConnectionUpdateRequest;
    expect(update.required).toBeUndefined();
    expect(update).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(Object.keys(update.properties)).toEqual(Object.keys(request.properties));
  });
});
