import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readRequestBody } from './read-request-body.ts';

const MAX_BODY = 64 * 1024;

export interface FakeTokenService {
  url: string;
  /** Tokens issued so far, in order. */
  issued: string[];
  requests(): number;
  /** Whether a token is one we issued, not revoked and not expired. */
  valid(token: string): boolean;
  revoke(token: string): void;
  stop(): Promise<void>;
}

/**
 * An OAuth client_credentials token endpoint on loopback, as Matcher's M2M exchanger calls it:
 * form-encoded grant_type, client_id and client_secret; answers access_token and expires_in.
 */
export const startFakeTokenService = async ({
  clientId,
  clientSecret,
  expiresIn = 3600,
  delayMs = 0,
}: {
  clientId: string;
  clientSecret: string;
  expiresIn?: number;
  delayMs?: number;
}): Promise<FakeTokenService> => {
  const issued: string[] = [];
  const expiry = new Map<string, number>();
  let requests = 0;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readRequestBody(req, MAX_BODY);
    requests++;
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const json = (status: number, answer: object) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    if (body === 'too-large' || req.method !== 'POST' || !/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? ''))
      return json(400, { error: 'invalid_request' });
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return json(401, { error: 'invalid_client' });
    const token = `tok-${issued.length + 1}-${randomUUID()}`;
    issued.push(token);
    expiry.set(token, Date.now() + expiresIn * 1000);
    json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  };
  const server: Server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/v1/login/oauth/access_token`,
    issued,
    requests: () => requests,
    valid: (token) => (expiry.get(token) ?? 0) > Date.now(),
    revoke: (token) => {
      expiry.delete(token);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
