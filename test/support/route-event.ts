import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface EventOptions {
  body?: string | object;
  headers?: Record<string, string>;
  token?: string;
  isBase64Encoded?: boolean;
  requestId?: string;
}

/** An API Gateway HTTP API (payload 2.0) event for POST /v1/discovery/connections. */
export const createConnectionEvent = ({
  body,
  headers = {},
  token,
  isBase64Encoded = false,
  requestId = randomUUID(),
}: EventOptions = {}): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /v1/discovery/connections',
  rawPath: '/v1/discovery/connections',
  rawQueryString: '',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...headers,
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: { method: 'POST', path: '/v1/discovery/connections', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    requestId,
    routeKey: 'POST /v1/discovery/connections',
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  isBase64Encoded,
});
