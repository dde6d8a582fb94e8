import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's whole body. Past `limit` it keeps draining (so the client can read the 413 it
 * gets) but keeps nothing, and answers 'too-large'.
 */
export const readRequestBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
