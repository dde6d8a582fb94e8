import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** What start-api knows about one HTTP request, before API Gateway's conversion. */
export interface IncomingRequest {
  method: string;
  /** The request target as sent: raw path and query string. */
  target: string;
  /** Node's rawHeaders: name, value, name, value, ... in arrival order. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** The port the client connected to (x-forwarded-port). */
  localPort: number;
  httpVersion: string;
}

export interface RouteContext {
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  requestId: string;
  now: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** requestContext.time as API Gateway writes it: `12/Mar/2020:19:03:58 +0000`. */
export const apiGatewayTime = (date: Date): string =>
  `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;

// API Gateway passes these media types as text and base64-encodes every other body (form posts included).
export const isTextMediaType = (contentType: string | undefined): boolean => {
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return /^text\//.test(essence) || /^application\/([a-z0-9.!#$&^_-]+\+)?(json|xml)$/.test(essence) || essence === 'application/javascript';
};

// Repeated headers are joined with commas; the cookie header becomes the `cookies` array instead.
const headersOf = (rawHeaders: readonly string[]) => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie')
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter(Boolean),
      );
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
};

const decode = (value: string) => {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
};

// Repeated parameters are joined with commas, as payload 2.0 has no multi-value map.
const queryParametersOf = (rawQueryString: string): Record<string, string> | undefined => {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const [rawName = '', ...rest] = pair.split('=');
    const name = decode(rawName);
    const value = decode(rest.join('='));
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
};

/** Turns an HTTP request into the API Gateway HTTP API payload 2.0 event its Lambda would receive. */
export const toHttpApiEvent = (
  request: IncomingRequest,
  { routeKey, pathParameters, requestId, now }: RouteContext,
): APIGatewayProxyEventV2 => {
  const queryAt = request.target.indexOf('?');
  const rawPath = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : request.target.slice(queryAt + 1);
  const { headers, cookies } = headersOf(request.rawHeaders);
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${request.sourceIp}` : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const queryStringParameters = queryParametersOf(rawQueryString);
  const isBase64Encoded = request.body.length > 0 && !isTextMediaType(headers['content-type']);

  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: request.body.toString(isBase64Encoded ? 'base64' : 'utf8') } : {}),
    isBase64Encoded,
  };
};
