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

export interface DevSigner {
  publicJwk: JWK;
  sign(options?: TokenOptions): Promise<string>;
}

export interface DevIssuer extends DevSigner {
  jwksUrl: string;
  /** How many times the JWKS was served. */
  jwksFetches(): number;
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

// Kept in a gitignored folder so tokens survive a restart of the local API. Written with 'wx' so two
// processes creating the key at once (npm start beside npm run token) end up with the same one.
const loadOrCreateKeys = async (keysDir: string | undefined): Promise<StoredKeys> => {
  if (!keysDir) return newKeys();
  const file = join(keysDir, 'dev-issuer-keys.json');
  const read = async () => JSON.parse(await readFile(file, 'utf8')) as StoredKeys;
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Unreadable dev issuer keys in ${file}; delete the file to get new ones`);
  }
  const keys = await newKeys();
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
export const loadDevSigner = async (keysDir?: string): Promise<DevSigner> => {
  const keys = await loadOrCreateKeys(keysDir);
  const signingKey = await importJWK(keys.privateJwk, ALG);
  return {
    publicJwk: keys.publicJwk,
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
  };
};

/**
 * A development token issuer: an ES256 key pair, its JWKS served on loopback, and signed tokens with
 * the claims the service reads. For tests and the local harness only.
 */
export const startDevIssuer = async ({ port = 0, keysDir }: { port?: number; keysDir?: string } = {}): Promise<DevIssuer> => {
  const signer = await loadDevSigner(keysDir);
  const jwks = JSON.stringify({ keys: [signer.publicJwk] });
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
    ...signer,
    jwksUrl: `http://127.0.0.1:${boundPort}/.well-known/jwks.json`,
    jwksFetches: () => fetches,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
