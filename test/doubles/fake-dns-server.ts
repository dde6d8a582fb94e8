import { createSocket, type RemoteInfo } from 'node:dgram';
import ipaddr from 'ipaddr.js';

/** How the server answers one name: addresses (A and AAAA picked by family), a failure code, or nothing at all. */
export interface DnsAnswer {
  addresses?: string[];
  rcode?: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  /** Hold the answer this long first. */
  delayMs?: number;
  /** Never answer: the resolver's timeout decides. */
  silent?: boolean;
}

export interface DnsQuery {
  name: string;
  type: 'A' | 'AAAA' | number;
}

export interface FakeDnsServer {
  /** `127.0.0.1:<port>`, as Resolver.setServers takes it. */
  server: string;
  queries: DnsQuery[];
  /** The most names being answered at one moment (a name's A and AAAA queries count once). */
  maxConcurrentNames(): number;
  stop(): Promise<void>;
}

const TYPES: Record<number, 'A' | 'AAAA'> = { 1: 'A', 28: 'AAAA' };
const RCODES = { NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 } as const;

/** The question of a query: its name (labels joined by dots), type, and where the question ends. */
const questionOf = (message: Buffer) => {
  const labels: string[] = [];
  let at = 12;
  while (message[at]! > 0) {
    labels.push(message.subarray(at + 1, at + 1 + message[at]!).toString('ascii'));
    at += message[at]! + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: message.readUInt16BE(at + 1), end: at + 5 };
};

const reply = (query: Buffer, end: number, rcode: number, records: Buffer[]) => {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, the query's opcode and RD, AA and RA set, then the code.
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.subarray(12, end), ...records]);
};

const record = (type: number, address: string) => {
  const bytes = Buffer.from(ipaddr.parse(address).toByteArray());
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // the question's name
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4); // IN
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(bytes.length, 10);
  return Buffer.concat([fixed, bytes]);
};

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP): A and AAAA questions answered from a programme
 * per name, with failure codes, delays and silence, counting how many names it is answering at once.
 */
export const startFakeDnsServer = async (programme: (name: string) => DnsAnswer | undefined): Promise<FakeDnsServer> => {
  const socket = createSocket('udp4');
  const queries: DnsQuery[] = [];
  const pending = new Map<string, number>();
  let maxNames = 0;
  const timers = new Set<NodeJS.Timeout>();

  socket.on('message', (message: Buffer, from: RemoteInfo) => {
    const { name, type, end } = questionOf(message);
    queries.push({ name, type: TYPES[type] ?? type });
    const answer = programme(name) ?? { rcode: 'NXDOMAIN' };
    if (answer.silent) return;
    pending.set(name, (pending.get(name) ?? 0) + 1);
    maxNames = Math.max(maxNames, pending.size);
    const send = () => {
      const left = pending.get(name)! - 1;
      if (left === 0) pending.delete(name);
      else pending.set(name, left);
      const family = type === 1 ? 'ipv4' : type === 28 ? 'ipv6' : undefined;
      const records = (answer.addresses ?? []).filter((a) => ipaddr.parse(a).kind() === family).map((a) => record(type, a));
      socket.send(reply(message, end, answer.rcode ? RCODES[answer.rcode] : 0, records), from.port, from.address);
    };
    if (!answer.delayMs) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, answer.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    maxConcurrentNames: () => maxNames,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        socket.close(() => resolve());
      }),
  };
};
