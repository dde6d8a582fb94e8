import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createHostPolicy } from '../../functions/discovery/host-policy.ts';
import { connectionRequestSchema, connectionUpdateSchema } from '../../functions/http/connection-request-schema.ts';
import { ROUTES } from '../../functions/routes.ts';
import { recordedResponses } from '../support/response-record.ts';
import { schemaValidators, type OpenApiDocument } from '../support/schema-validators.ts';
import { API_DOCUMENT_FILE } from '../tools/api-document-file.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';
import { CREATE_CASES, UPDATE_CASES, type Case } from './request-corpus.ts';
import { RESPONSE_VARIANTS } from './response-variants.ts';

/**
 * The create and the update hold to Lerian Matcher 4.1.0 as published: the same documents go through
 * validators built from the published schemas and from ours (functions/openapi-document/matcher-discovery.json), and
 * through the handler's own validation, and they must agree except where a difference is listed here.
 */

/** Where our document is stricter than the published one, on purpose. */
const STRICTER_THAN_PUBLISHED = {
  configNamePattern: "configName: only letters, digits, '_' and '-' (Fetcher's own rule, checked before Fetcher is called)",
  configNameLength: "configName: 3 to 100 characters (Fetcher's own bounds)",
  lengths: 'host at most 253 characters; databaseName, userName and schema at most 255; password at most 4096',
  updateNotEmpty: 'an update changes at least one field ({} is refused at body)',
  responseComplete:
    'ConnectionResponse: all six fields, always, and nothing else; databaseType and status from closed lists, id a UUID, lastSeenAt RFC 3339',
  problemComplete: 'Detail: type, title, status, detail, instance and code always present; errors an array when present, never null',
} as const;

/** Where the handler is stricter than any JSON Schema can say, so the documents cannot show it. */
const HANDLER_ONLY = {
  trimming: 'strings but the password are trimmed before their rules apply: "   " is empty, and " ledger " is "ledger"',
  printable: 'names with control characters or lone surrogates are refused',
  databaseType: 'databaseType is a canonical token in any case, or a known alias; anything else is refused',
  hostPolicy:
    'host passes the host policy: loopback, private, link-local and metadata addresses and names like localhost are refused (MTCH-0209)',
  strictPort: 'port is a JSON integer: JSON Schema already refuses "5432" and 1.5, as the handler does',
} as const;

const fixture = (name: string) => parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'openapi', name), 'utf8')) as OpenApiDocument;
const publishedCreate = schemaValidators(fixture('lerian-matcher-4.1.0-create-discovery-connection.yaml'));
const publishedUpdate = schemaValidators(fixture('lerian-matcher-4.1.0-update-discovery-connection.reconstructed.yaml'));
const ourDocument = JSON.parse(readFileSync(API_DOCUMENT_FILE, 'utf8'));
const ours = schemaValidators(ourDocument);
const policy = createHostPolicy({ allowedCidrs: [] });
const handler = { create: connectionRequestSchema(policy), update: connectionUpdateSchema(policy) };

const checkCase = (c: Case, published: boolean, document: boolean, handled: boolean) => {
  const label = `${c.name}: ${JSON.stringify(c.body)?.slice(0, 120)}`;
  if (c.stricter) {
    expect(STRICTER_THAN_PUBLISHED[c.stricter], label).toBeDefined();
    expect({ published, document }, label).toEqual({ published: true, document: false });
  } else {
    expect(document, `${label}: published ${published}, ours ${document}`).toBe(published);
  }
  if (c.handlerOnly) {
    expect(HANDLER_ONLY[c.handlerOnly], label).toBeDefined();
    expect(handled, `${label}: the handler decides otherwise than the document, as ${c.handlerOnly} says`).not.toBe(document);
  } else {
    expect(handled, `${label}: handler ${handled}, document ${document}`).toBe(document);
  }
};

describe('createDiscoveryConnection against Lerian Matcher 4.1.0 (published)', () => {
  it.each(CREATE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    checkCase(
      c,
      publishedCreate('ConnectionProvisioningRequest')(c.body),
      ours('ConnectionProvisioningRequest')(c.body),
      handler.create.safeParse(c.body).success,
    );
  });
});

describe('updateDiscoveryConnection against Lerian Matcher 4.1.0 (reconstructed from the rendered page)', () => {
  it.each(UPDATE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    checkCase(
      c,
      publishedUpdate('ConnectionUpdateRequest')(c.body),
      ours('ConnectionUpdateRequest')(c.body),
      handler.update.safeParse(c.body).success,
    );
  });
});

describe('responses against the published ConnectionResponse and Detail, and ours', () => {
  it.each(RESPONSE_VARIANTS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const published = publishedCreate(v.component)(v.body);
    const document = ours(v.component)(v.body);
    if (v.stricter) {
      expect(STRICTER_THAN_PUBLISHED[v.stricter]).toBeDefined();
      expect({ published, document }).toEqual({ published: true, document: false });
    } else expect(document).toBe(published);
  });

  const recorded = recordedResponses();
  const operationOf = (name: string) => {
    const route = ROUTES.find((r) => r.name === name)!;
    return ourDocument.paths[route.path][route.method.toLowerCase()];
  };
  /** The published schema a recorded answer falls under, when Matcher publishes one. */
  const publishedFor = (route: string, status: number, body: any): [string, unknown][] => {
    if (status >= 400) return [['Detail', body]];
    if (['create-connection', 'update-connection', 'get-connection'].includes(route)) return [['ConnectionResponse', body]];
    if (route === 'list-connections') return body.connections.map((connection: unknown) => ['ConnectionResponse', connection]);
    return [];
  };

  it('has the answers of the integration tests to go through: every route, successes and failures (run by npm test before this)', () => {
    expect(recorded.length, 'no answers recorded: run the whole suite (npm test)').toBeGreaterThan(300);
    const routes = new Set(recorded.map((r) => r.route));
    for (const route of ROUTES) expect(routes.has(route.name), route.name).toBe(true);
    const statuses = new Set(recorded.map((r) => r.status));
    for (const status of [200, 201, 304, 400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504]) {
      expect(statuses.has(status), String(status)).toBe(true);
    }
  });

  it('finds every answer the integration tests received declared for its route, and valid for its declared schema and the published one', () => {
    const problems: string[] = [];
    for (const { route, status, contentType, body } of recorded) {
      const declared = operationOf(route).responses[String(status)];
      if (!declared) {
        problems.push(`${route} answered ${status}, which the document does not declare`);
        continue;
      }
      const media = declared.content?.[contentType?.split(';')[0] ?? ''];
      if (body === undefined) {
        if (declared.content) problems.push(`${route} ${status}: no body, the document declares one`);
        continue;
      }
      if (!media) {
        problems.push(`${route} ${status}: ${contentType} is not what the document declares`);
        continue;
      }
      const validate = ours(media.schema.$ref.replace('#/components/schemas/', ''));
      if (!validate(body)) problems.push(`${route} ${status}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body).slice(0, 200)}`);
      for (const [component, value] of publishedFor(route, status, body)) {
        const published = publishedCreate(component);
        if (!published(value)) problems.push(`${route} ${status} against the published ${component}: ${JSON.stringify(published.errors)}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});
