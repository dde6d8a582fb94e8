import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { readRequestBody } from './read-request-body.ts';

const MAX_BODY = 64 * 1024;

/** A client the token service knows: its secret, and the tenant its tokens act for (none: a service-wide identity). */
export interface TokenClient {
  clientSecret: string;
  tenantId?: string;
}

/** One token handed out: to whom, for which tenant. */
export interface IssuedToken {
  token: string;
  clientId: string;
  tenantId: string | undefined;
}

export interface FakeTokenService {
  url: string;
  /** Tokens issued so far, in order. */
  issued: string[];
  /** The same tokens with the client and tenant each was issued to. */
  grants: IssuedToken[];
  requests(): number;
  /** Token requests by client id (refused ones included). */
  requestsOf(clientId: string): number;
  /** Whether a token is one we issued, not revoked and not expired. */
  valid(token: string): boolean;
  revoke(token: string): void;
  stop(): Promise<void>;
}

export interface TokenServiceOptions {
  /** The one client of a single-identity setup. */
  clientId?: string;
  clientSecret?: string;
  /** Per-tenant clients, looked up by client id (a function lets a harness answer for any tenant). */
  clients?: Record<string, TokenClient> | ((clientId: string) => TokenClient | undefined);
  expiresIn?: number;
  delayMs?: number;
}

/**
 * An OAuth client_credentials token endpoint on loopback, as Matcher's M2M exchanger calls it:
 * form-encoded grant_type, client_id and client_secret; answers access_token and expires_in. Tokens
 * are JWTs; a tenant client's carry its `tenantId` claim, from which Fetcher picks the tenant's database.
 */
export const startFakeTokenService = async ({
  clientId,
  clientSecret,
  clients = {},
  expiresIn = 3600,
  delayMs = 0,
}: TokenServiceOptions): Promise<FakeTokenService> => {
  const issued: string[] = [];
  const grants: IssuedToken[] = [];
  const expiry = new Map<string, number>();
  const perClient = new Map<string, number>();
  const key = randomBytes(32);
  let requests = 0;

  const clientNamed = (id: string): TokenClient | undefined => {
    if (clientId !== undefined && id === clientId) return { clientSecret: clientSecret ?? '' };
    return typeof clients === 'function' ? clients(id) : Object.hasOwn(clients, id) ? clients[id] : undefined;
  };

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
    const id = form.get('client_id') ?? '';
    perClient.set(id, (perClient.get(id) ?? 0) + 1);
    const client = clientNamed(id);
    if (!client || form.get('client_secret') !== client.clientSecret) return json(401, { error: 'invalid_client' });
    const token = await new SignJWT({ ...(client.tenantId ? { tenantId: client.tenantId } : {}), client_id: id })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setJti(`${issued.length + 1}-${randomUUID()}`)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .sign(key);
    issued.push(token);
    grants.push({ token, clientId: id, tenantId: client.tenantId });
    expiry.set(token, Date.now() + expiresIn * 1000);
    json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  };
  const server: Server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/v1/login/oauth/access_token`,
    issued,
    grants,
    requests: () => requests,
    requestsOf: (id) => perClient.get(id) ?? 0,
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
