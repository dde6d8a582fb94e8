import { MatcherError, type ErrorCode } from '../discovery/errors.ts';
import { problemFor, statusOf } from '../http/problem.ts';

/** When each code of the catalogue is answered, in the API document's words. */
const WHEN: Record<ErrorCode, string> = {
  'MTCH-0001': 'the body is empty or not valid JSON',
  'MTCH-0002': 'anything unexpected; the detail says only "internal error"',
  'MTCH-0003': 'no bearer token, or one that is malformed, expired, badly signed, or of the wrong issuer, audience or algorithm',
  'MTCH-0004': 'the token lacks the permission the route needs, or (multi-tenant) a UUID tenant claim',
  'MTCH-0005': 'the request failed validation: errors[] lists every problem at body.<field>, query.<name> or path.<name>',
  'MTCH-0006': 'the Content-Type is not JSON',
  'MTCH-0007': 'the body is larger than the configured limit (64 KiB by default)',
  'MTCH-0008': 'the signing keys (JWKS) cannot be fetched; try again after Retry-After',
  'MTCH-0018': 'a request with the same Idempotency-Key is still in progress; try again after Retry-After',
  'MTCH-0019': 'the Idempotency-Key was used before with a different body',
  'MTCH-0020': 'the Idempotency-Key is empty, longer than 255 characters or not printable ASCII',
  'MTCH-0201': "no connection with this id exists in the caller's tenant",
  'MTCH-0203': 'Fetcher is unreachable, overloaded or failing; try again after Retry-After',
  'MTCH-0205': "a sync of the caller's tenant is already running; try again after Retry-After",
  'MTCH-0206': 'a connection with this configName already exists',
  'MTCH-0207': 'Fetcher answered with an error that cannot be passed on',
  'MTCH-0208': 'Fetcher (or the request as a whole) did not answer in time',
  'MTCH-0209': 'the host is refused by the host policy (internal, private, loopback or metadata addresses and names)',
  'MTCH-0210': 'Fetcher allows 10 tests a minute per connection; try again after Retry-After',
  'MTCH-0211': 'the connection is busy in Fetcher (extraction jobs are running); try again after Retry-After',
};

const RETRY_AFTER = new Set<ErrorCode>(['MTCH-0008', 'MTCH-0018', 'MTCH-0203', 'MTCH-0205', 'MTCH-0210', 'MTCH-0211']);

export const DETAIL_REF = { $ref: '#/components/schemas/Detail' };

/** The problem responses of an operation, one per status, each listing the codes it can carry, with an example of each. */
export const problemResponses = (codes: readonly ErrorCode[]) => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, inStatus]) => {
      const problem = (code: ErrorCode) =>
        problemFor(new MatcherError(code, WHEN[code].replace(/^./, (c) => c.toUpperCase()) + '.'), 'b3f1c2d4');
      const headers = {
        ...(inStatus.some((code) => RETRY_AFTER.has(code)) ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
        ...(status === 401 || status === 403 ? { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } } : {}),
      };
      return [
        String(status),
        {
          description: inStatus.map((code) => `${code}: ${WHEN[code]}.`).join(' '),
          ...(Object.keys(headers).length ? { headers } : {}),
          content: {
            'application/problem+json': {
              schema: DETAIL_REF,
              examples: Object.fromEntries(inStatus.map((code) => [code, { value: problem(code) }])),
            },
          },
        },
      ];
    }),
  );
};

/** Every route's own problems: authentication, permission, the unexpected, and the Lambda's own deadline. */
export const EVERY_ROUTE: readonly ErrorCode[] = ['MTCH-0003', 'MTCH-0004', 'MTCH-0002', 'MTCH-0008', 'MTCH-0208'];
/** A route that reads a JSON body. */
export const WITH_BODY: readonly ErrorCode[] = ['MTCH-0001', 'MTCH-0005', 'MTCH-0006', 'MTCH-0007'];
/** A route that honours Idempotency-Key. */
export const IDEMPOTENT: readonly ErrorCode[] = ['MTCH-0018', 'MTCH-0019', 'MTCH-0020'];
/** A route that calls Fetcher. */
export const CALLS_FETCHER: readonly ErrorCode[] = ['MTCH-0203', 'MTCH-0207', 'MTCH-0208'];
