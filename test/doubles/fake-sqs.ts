import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readRequestBody } from './read-request-body.ts';

export interface QueuedMessage {
  messageId: string;
  body: string;
}

export interface FakeSqsOptions {
  /** Handed every message sent, after its send has been answered (a consumer, as Lambda's event source would be). */
  deliver?: (message: QueuedMessage) => Promise<void> | void;
  /** Refuse every entry of a batch with this error code (a queue failing). */
  refuse?: string;
}

export interface FakeSqs {
  queueUrl: string;
  /** Every message sent, in order. */
  messages: QueuedMessage[];
  stop(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

interface Entry {
  Id: string;
  MessageBody: string;
}

/**
 * A loopback stand-in for one SQS queue, speaking the AWS JSON 1.0 protocol the SDK uses
 * (SendMessage and SendMessageBatch), with the body MD5 the SDK checks. The queue URL points at it, so
 * the real SQS client needs no endpoint override.
 */
export const startFakeSqs = async ({ deliver, refuse }: FakeSqsOptions = {}): Promise<FakeSqs> => {
  const messages: QueuedMessage[] = [];
  const accept = (body: string) => {
    const message = { messageId: randomUUID(), body };
    messages.push(message);
    if (deliver) setImmediate(() => void Promise.resolve(deliver(message)).catch(() => undefined));
    return message;
  };
  const server: Server = createServer((req, res) => {
    void readRequestBody(req, 1024 * 1024).then((raw) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = raw === 'too-large' ? {} : (JSON.parse(raw.toString('utf8') || '{}') as { Entries?: Entry[]; MessageBody?: string });
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      if (target === 'AmazonSQS.SendMessageBatch') {
        const entries = input.Entries ?? [];
        if (refuse) return send(200, { Successful: [], Failed: entries.map((e) => ({ Id: e.Id, Code: refuse, SenderFault: false })) });
        const successful = entries.map((entry) => ({
          Id: entry.Id,
          MessageId: accept(entry.MessageBody).messageId,
          MD5OfMessageBody: md5(entry.MessageBody),
        }));
        return send(200, { Successful: successful, Failed: [] });
      }
      if (target === 'AmazonSQS.SendMessage' && input.MessageBody !== undefined) {
        return send(200, { MessageId: accept(input.MessageBody).messageId, MD5OfMessageBody: md5(input.MessageBody) });
      }
      return send(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `not emulated: ${target}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    queueUrl: `http://127.0.0.1:${port}/000000000000/matcher-discovery-sync`,
    messages,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
