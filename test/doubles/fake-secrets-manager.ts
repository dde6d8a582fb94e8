import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSecretsManager {
  endpoint: string;
  calls: { target: string; body: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/** Secrets Manager's JSON protocol on a loopback port: GetSecretValue only, answered from a fixed map. */
export const startFakeSecretsManager = async (secrets: Record<string, Record<string, unknown>>): Promise<FakeSecretsManager> => {
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as { SecretId: string };
      calls.push({ target: String(req.headers['x-amz-target']), body });
      const secret = secrets[body.SecretId];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!secret) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can\u2019t find the specified secret.' }));
        return;
      }
      res.end(JSON.stringify({ ARN: body.SecretId, Name: 'matcher/jwt', VersionId: 'v1', ...secret }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, calls, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
