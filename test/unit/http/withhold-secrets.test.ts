import { afterEach, describe, expect, it } from 'vitest';
import { withholdSecrets } from '../../../functions/http/withhold-secrets.ts';
import { scrub } from '../../../functions/observability/secret-values.ts';
import { middyRequest, run, type RouteRequest } from './middy-request.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
const PASSWORD = 'hunter2-canary';

const request = (authorization: string | undefined, json?: unknown): RouteRequest =>
  middyRequest({ event: { headers: authorization === undefined ? {} : { authorization } }, context: { json } });

/** Whether a log line carrying `value` would have it redacted right now. */
const withheld = (value: string) => scrub(`<${value}>`) === '<[REDACTED]>';

const pending: RouteRequest[] = [];
const middleware = withholdSecrets();
const begin = async (req: RouteRequest) => {
  await run(middleware, 'before', req);
  pending.push(req);
  return req;
};

afterEach(async () => {
  // Whatever a failed test left withheld must not leak into the next one.
  for (const req of pending.splice(0)) await run(middleware, 'after', req);
});

describe('withholdSecrets', () => {
  it('withholds the bearer token and the body password while the request runs', async () => {
    await begin(request(`Bearer ${TOKEN}`, { host: 'db.example.com', password: PASSWORD }));
    expect(withheld(TOKEN)).toBe(true);
    expect(withheld(PASSWORD)).toBe(true);
    expect(scrub(`Authorization: Bearer ${TOKEN}`)).toBe('Authorization: Bearer [REDACTED]');
    expect(withheld('db.example.com')).toBe(false);
  });

  it.each(['after', 'onError'] as const)('releases them when the request ends (%s)', async (phase) => {
    const req = request(`Bearer ${TOKEN}`, { password: PASSWORD });
    await run(middleware, 'before', req);
    await run(middleware, phase, req);
    expect(withheld(TOKEN)).toBe(false);
    expect(withheld(PASSWORD)).toBe(false);
  });

  it.each([
    ['bearer', `bearer ${TOKEN}`],
    ['BEARER with spaces around', `  BEARER \t ${TOKEN}  `],
    ['tab-separated', `Bearer\t${TOKEN}`],
  ])('takes the token out of a %s header', async (_, authorization) => {
    await begin(request(authorization));
    expect(withheld(TOKEN)).toBe(true);
  });

  it.each(['Basic dXNlcjpwYXNzd29yZA==', `xBearer ${TOKEN}`, `Token ${TOKEN}`])(
    'withholds a non-bearer Authorization value %j whole',
    async (authorization) => {
      await begin(request(authorization));
      expect(withheld(authorization)).toBe(true);
      expect(withheld(TOKEN)).toBe(false);
    },
  );

  it.each([
    ['no body', undefined],
    ['a null body', null],
    ['a list', [PASSWORD]],
    ['a string', PASSWORD],
    ['a password that is not a string', { password: 12345678 }],
  ])('withholds no password from %s', async (_, json) => {
    await begin(request(undefined, json));
    expect(withheld(PASSWORD)).toBe(false);
    expect(withheld('12345678')).toBe(false);
  });

  it('keeps a value withheld while another request still carries it', async () => {
    const first = request(`Bearer ${TOKEN}`, { password: PASSWORD });
    const second = request(`Bearer ${TOKEN}`, { password: PASSWORD });
    await run(middleware, 'before', first);
    await begin(second);
    await run(middleware, 'after', first);
    // Middy runs onError when an after hook throws: the same request must not release twice.
    await run(middleware, 'onError', first);
    expect(withheld(TOKEN)).toBe(true);
    expect(withheld(PASSWORD)).toBe(true);
  });

  it('withholds the password of a request that came without headers', async () => {
    const req = request(undefined, { password: PASSWORD });
    req.event.headers = undefined as never;
    await begin(req);
    expect(withheld(PASSWORD)).toBe(true);
  });

  it('does nothing when a request that never reached it ends', async () => {
    await expect(run(middleware, 'onError', request(`Bearer ${TOKEN}`))).resolves.toBeUndefined();
  });
});
