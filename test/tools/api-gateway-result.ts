/** The HTTP response API Gateway sends for a Lambda's result. */
export interface HttpResponse {
  statusCode: number;
  /** Lower-cased names; a list is sent as repeated headers (Set-Cookie). */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

/** API Gateway's own answers, byte for byte. */
export const gatewayError = {
  notFound: () => json(404, { message: 'Not Found' }),
  tooLarge: () => json(413, { message: 'Request Entity Too Large' }),
  internal: () => json(500, { message: 'Internal Server Error' }),
};

type HeaderValue = string | number | boolean;
const isScalar = (value: unknown): value is HeaderValue => ['string', 'number', 'boolean'].includes(typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const add = (headers: HttpResponse['headers'], name: string, value: string) => {
  const key = name.toLowerCase();
  const existing = headers[key];
  headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
};

/**
 * Converts a payload 2.0 result as API Gateway does: a result with `statusCode` is used as given
 * (headers, multiValueHeaders, cookies as Set-Cookie, base64 bodies decoded); any other result is the
 * "inferred" format, 200 with the result as a JSON body. A malformed result is API Gateway's 500.
 */
export const toHttpResponse = (result: unknown): HttpResponse => {
  if (!isRecord(result) || !('statusCode' in result)) return json(200, result ?? null);

  const { statusCode, headers = {}, multiValueHeaders = {}, cookies = [], body, isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return gatewayError.internal();
  if (!isRecord(headers) || !isRecord(multiValueHeaders) || !Array.isArray(cookies)) return gatewayError.internal();
  if (body !== undefined && body !== null && typeof body !== 'string') return gatewayError.internal();

  const out: HttpResponse['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isScalar(value)) return gatewayError.internal();
    add(out, name, String(value));
  }
  for (const [name, values] of Object.entries(multiValueHeaders)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return gatewayError.internal();
    for (const value of values) add(out, name, String(value));
  }
  for (const cookie of cookies) {
    if (typeof cookie !== 'string') return gatewayError.internal();
    add(out, 'set-cookie', cookie);
  }
  const text = body ?? '';
  return { statusCode, headers: out, body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
};
