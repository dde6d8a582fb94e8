import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

export const DEV_ISSUER = 'https://dev-issuer.matcher.local';
export const DEV_AUDIENCE = 'matcher-discovery';
export type DevAlgorithm = 'ES256' | 'RS256';

export interface TokenOptions {
  scope?: string;
  tenantId?: string;
  subject?: string;
  /** Lifetime in seconds; negative gives an expired token. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** Extra or replacement claims; they win over the defaults above (set exp: undefined to drop it). */
  claims?: JWTPayload;
  /** Extra or replacement protected-header fields (kid, jku, jwk...). */
  header?: Record<string, unknown>;
}

/** A programmed JWKS misbehaviour, for tests of key-fetch failures. */
export interface JwksFault {
  delayMs?: number;
  status?: number;
  contentType?: string;
  body?: string;
}

export interface DevSigner {
  publicJwk: JWK;
  sign(options?: TokenOptions): Promise<string>;
}

export interface DevIssuer extends DevSigner {
  jwksUrl: string;
  /** The public keys, as the JWKS serves them. */
  jwks: { keys: JWK[] };
  /** How many times the JWKS was served. */
  jwksFetches(): number;
  /** Makes the JWKS endpoint misbehave (undefined restores it). */
  breakJwks(fault: JwksFault | undefined): void;
  stop(): Promise<void>;
}

interface StoredKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

const newKeys = async (alg: DevAlgorithm): Promise<StoredKeys> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
};

// Kept in a gitignored folder so tokens survive a restart of the local API. Written with 'wx' so two
// processes creating the key at once (npm start beside npm run token) end up with the same one.
const loadOrCreateKeys = async (keysDir: string | undefined, alg: DevAlgorithm): Promise<StoredKeys> => {
  if (!keysDir) return newKeys(alg);
  const file = join(keysDir, 'dev-issuer-keys.json');
  const read = async () => JSON.parse(await readFile(file, 'utf8')) as StoredKeys;
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`Unreadable dev issuer keys in ${file}; delete the file to get new ones`, { cause: error });
  }
  const keys = await newKeys(alg);
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  }
};

/** Signs dev tokens with the issuer's key; needs no server, so `npm run token` works with the API down. */
export const loadDevSigner = async (keysDir?: string, alg: DevAlgorithm = 'ES256'): Promise<DevSigner> => {
  const keys = await loadOrCreateKeys(keysDir, alg);
  // A stored key keeps the algorithm it was made with.
  const keyAlg = keys.privateJwk.alg as DevAlgorithm;
  const signingKey = await importJWK(keys.privateJwk, keyAlg);
  return {
    publicJwk: keys.publicJwk,
    async sign({
      scope = 'discovery:write',
      tenantId,
      subject = 'dev-user',
      expiresIn = 3600,
      issuer = DEV_ISSUER,
      audience = DEV_AUDIENCE,
      claims = {},
      header = {},
    } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        aud: audience,
        sub: subject,
        iat: now,
        exp: now + expiresIn,
        scope,
        ...(tenantId ? { tenant_id: tenantId } : {}),
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: keyAlg, kid: keys.privateJwk.kid!, typ: 'JWT', ...header }).sign(signingKey);
    },
  };
};

/**
 * A development token issuer: an ES256 key pair, its JWKS served on loopback, and signed tokens with
 * the claims the service reads. For tests and the local harness only.
 */
export const startDevIssuer = async ({
  port = 0,
  keysDir,
  alg = 'ES256',
}: { port?: number; keysDir?: string; alg?: DevAlgorithm } = {}): Promise<DevIssuer> => {
  const signer = await loadDevSigner(keysDir, alg);
  const jwks = JSON.stringify({ keys: [signer.publicJwk] });
  let fetches = 0;
  let fault: JwksFault | undefined;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      fetches++;
      const { delayMs = 0, status = 200, contentType = 'application/json', body = jwks } = fault ?? {};
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (!res.destroyed) res.writeHead(status, { 'Content-Type': contentType }).end(body);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}');
    }
  };
  const server: Server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: boundPort } = server.address() as { port: number };

  return {
    ...signer,
    jwksUrl: `http://127.0.0.1:${boundPort}/.well-known/jwks.json`,
    jwksFetches: () => fetches,
    jwks: JSON.parse(jwks) as { keys: JWK[] },
    breakJwks: (next) => {
      fault = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
