import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import document from './matcher-discovery.json' with { type: 'json' };

// The committed document, bundled into the function: no I/O, no configuration, nothing to fail.
const body = JSON.stringify(document);

/** GET /openapi.json, when the stack publishes the document (publishOpenApi): public, as any API reference is. */
export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' },
  body,
});
