import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A secret's fields as GetSecretValue answers them ({ SecretString } or { SecretBinary }). */
export type SecretFields = Record<string, unknown>;

export interface FakeSecretsManager {
  endpoint: string;
  calls: { target: string; body: Record<string, unknown> }[];
  /** GetSecretValue calls that named this secret id. */
  readsOf(secretId: string): number;
  /** Adds or replaces a secret (a rotation). */
  set(secretId: string, fields: SecretFields): void;
  delete(secretId: string): void;
  stop(): Promise<void>;
}

export interface FakeSecretsManagerOptions {
  /** Wait this long before each answer: concurrent reads overlap. */
  delayMs?: number;
}

/**
 * Secrets Manager's JSON protocol on a loopback port: GetSecretValue only, answered from a map (or, for
 * a harness serving any tenant, from a function of the secret id).
 */
export const startFakeSecretsManager = async (
  secrets: Record<string, SecretFields> | ((secretId: string) => SecretFields | undefined),
  { delayMs = 0 }: FakeSecretsManagerOptions = {},
): Promise<FakeSecretsManager> => {
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const held = new Map(typeof secrets === 'function' ? [] : Object.entries(secrets));
  const lookup = (id: string) => held.get(id) ?? (typeof secrets === 'function' ? secrets(id) : undefined);
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as { SecretId: string };
      calls.push({ target: String(req.headers['x-amz-target']), body });
      const secret = lookup(body.SecretId);
      const answer = () => {
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (!secret) {
          res.statusCode = 400;
          res.end(
            JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can\u2019t find the specified secret.' }),
          );
          return;
        }
        res.end(JSON.stringify({ ARN: body.SecretId, Name: body.SecretId, VersionId: 'v1', ...secret }));
      };
      if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    calls,
    readsOf: (secretId) => calls.filter((call) => call.body.SecretId === secretId).length,
    set: (secretId, fields) => void held.set(secretId, fields),
    delete: (secretId) => void held.delete(secretId),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
