import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.ts';
import { startService, validBody, type TestService } from '../../support/service.ts';
import { apiDocumentText } from '../../tools/api-document-file.ts';

const document = JSON.parse(apiDocumentText());
// What the API document says each route needs: the scopes of its security requirements.
const cases = ROUTES.map((route) => {
  const operation = document.paths[route.path][route.method.toLowerCase()];
  const accepted: string[] = operation.security.flatMap((requirement: Record<string, string[]>) => requirement.BearerAuth);
  return [route.routeKey, route, accepted] as const;
});

let service: TestService;
const tenant = randomUUID();
beforeAll(async () => {
  // A fresh tenant: a refresh here syncs nothing another test file reads.
  service = await startService({ MULTI_TENANT: 'true', FETCHER_SHARED_IDENTITY: 'true' });
});
afterAll(() => service?.stop());

const callWith = (route: (typeof ROUTES)[number], scope: string) =>
  service.token({ tenantId: tenant, scope }).then((token) =>
    service.call(route.name, {
      token,
      ...(route.path.includes('{connectionId}') ? { pathParameters: { connectionId: randomUUID() } } : {}),
      ...(route.method === 'POST' && route.name === 'create-connection' ? { body: validBody() } : {}),
      ...(route.method === 'PATCH' ? { body: { port: 5433 } } : {}),
    }),
  );

describe('each route takes exactly the permissions the API document gives it', () => {
  it.each(cases)('%s', async (_key, route, accepted) => {
    const read = route.method === 'GET';
    // Read routes accept either permission; write routes need discovery:write.
    expect(accepted).toEqual(read ? ['discovery:read', 'discovery:write'] : ['discovery:write']);
    for (const scope of ['discovery:read', 'discovery:write']) {
      const before = service.fetcher.requests.length;
      const answer = await callWith(route, scope);
      if (accepted.includes(scope)) {
        expect(answer.status, `${scope}: ${answer.raw}`).not.toBe(403);
        expect(answer.status, `${scope}: ${answer.raw}`).not.toBe(401);
      } else {
        expect(answer.status, `${scope}: ${answer.raw}`).toBe(403);
        expect(answer.body.code).toBe('MTCH-0004');
        expect(answer.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="${accepted[0]}"`);
        expect(service.fetcher.requests.length).toBe(before);
      }
    }
    const none = await callWith(route, 'openid profile');
    expect(none.status).toBe(403);
    expect(none.headers['www-authenticate']).toBe(`Bearer error="insufficient_scope", scope="${accepted[0]}"`);
  });
});
