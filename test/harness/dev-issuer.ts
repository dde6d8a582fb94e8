import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

export const DEV_ISSUER = 'https://dev-issuer.matcher.local';
export const DEV_AUDIENCE = 'matcher-discovery';
const ALG = 'ES256';

export interface TokenOptions {
  scope?: string;
  tenantId?: string;
  subject?: string;
  /** Lifetime in seconds; negative gives an expired token. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  claims?: JWTPayload;
}

export interface DevIssuer {
  jwksUrl: string;
  /** How many times the JWKS was served. */
  jwksFetches(): number;
  sign(options?: TokenOptions): Promise<string>;
  stop(): Promise<void>;
}

interface StoredKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

const newKeys = async (): Promise<StoredKeys> => {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
};

// Kept in a gitignored folder so tokens survive a restart of the local API.
const loadOrCreateKeys = async (keysDir: string | undefined): Promise<StoredKeys> => {
  if (!keysDir) return newKeys();
  const file = join(keysDir, 'dev-issuer-keys.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKeys;
  } catch {
    const keys = await newKeys();
    await mkdir(keysDir, { recursive: true });
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
    return keys;
  }
};

/**
 * A development token issuer: an ES256 key pair, its JWKS served on loopback, and signed tokens with
 * the claims the service reads. For tests and the local harness only.
 */
export const startDevIssuer = async ({ port = 0, keysDir }: { port?: number; keysDir?: string } = {}): Promise<DevIssuer> => {
  const keys = await loadOrCreateKeys(keysDir);
  const signingKey = await importJWK(keys.privateJwk, ALG);
  const jwks = JSON.stringify({ keys: [keys.publicJwk] });
  let fetches = 0;

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as { port: number };

  return {
    jwksUrl: `http://127.0.0.1:${boundPort}/.well-known/jwks.json`,
    jwksFetches: () => fetches,
    async sign({ scope = 'discovery:write', tenantId, subject = 'dev-user', expiresIn = 3600, issuer = DEV_ISSUER, audience = DEV_AUDIENCE, claims = {} } = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ scope, ...(tenantId ? { tenant_id: tenantId } : {}), ...claims })
        .setProtectedHeader({ alg: ALG, kid: keys.privateJwk.kid!, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresIn)
        .sign(signingKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
