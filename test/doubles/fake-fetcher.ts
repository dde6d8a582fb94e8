import { decodeJwt } from 'jose';
import type { ServerResponse } from 'node:http';
import {
  createFetcherEmulator,
  type DatabaseProgramme,
  type EmulatorOptions,
  type FetcherEmulator,
  type JobsProgramme,
  type SchemaProgramme,
  type StoredConnection,
} from './fetcher-emulator.ts';
import type { FetcherRoute } from './fetcher-route.ts';
import { send, serveFetcher, type Intercept } from './fetcher-server.ts';

/** A route of Fetcher's Manager API, as faults and recorded requests name it. */
export type FakeRoute = FetcherRoute;

/** A programmed misbehaviour for one route, used `times` times (forever when unset). */
export interface Fault {
  /** Wait this long first (or, with phase 'after', after the real work is done). */
  delayMs?: number;
  /** Wait for this too: a test holds the answer back until it has done something else. */
  until?: Promise<unknown>;
  /** Answer this instead of the real answer. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * reset: destroy the socket before answering; truncate: send the headers and half a body, then
   * destroy it; redirect: `status` (307) to `location`; oversized: a body of `bytes`; malformed: bad JSON.
   */
  action?: 'reset' | 'truncate' | 'redirect' | 'oversized' | 'malformed';
  location?: string;
  bytes?: number;
  /** 'after': do the real work (e.g. store the connection), then misbehave. */
  phase?: 'before' | 'after';
  times?: number;
  /** Let this many calls of the route pass untouched first: `after: 2` faults the third call. */
  after?: number;
  /** Only calls whose token's tenantId claim is this tenant (one Fetcher tenant failing, the others not). */
  tenant?: string;
}

export interface RecordedRequest {
  route: FakeRoute | 'unknown';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeFetcherOptions {
  port?: number;
  /**
   * When set, every business route requires `Authorization: Bearer <token>`, answered as lib-auth
   * does in plain text: 401 without a token; with a fixed token, 403 for any other; with a check,
   * 401 for a token it refuses (the auth service's verdict on an expired or revoked token).
   */
  token?: string | ((token: string) => boolean);
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
  /** How the emulator behind it lists: its clock, the month range, multi-tenant internal connections. */
  emulator?: EmulatorOptions;
}

export interface FakeFetcher extends Pick<FetcherEmulator, 'seed' | 'alter'> {
  url: string;
  requests: RecordedRequest[];
  /** How many requests reached a route so far (faulted ones included). */
  calls(route: FakeRoute): number;
  connections(tenant?: string): StoredConnection[];
  inject(route: FakeRoute, fault: Fault): void;
  clearFaults(): void;
  /** The schema answer for a configName (the demo tables when unset). */
  setSchema(configName: string, programme: SchemaProgramme): void;
  /** Takes a configName's database down or up: its test and schema read fail as Fetcher reports a failed dial. */
  setDatabase(configName: string, programme: DatabaseProgramme): void;
  /** Starts (or ends) extraction jobs on a connection, by its Fetcher id: its PATCH and DELETE answer 409 FET-1021 meanwhile. */
  setJobs(id: string, programme: JobsProgramme): void;
  stop(): Promise<void>;
}

// The tenant a request acts for, as Fetcher reads it: the bearer token's tenantId claim, unverified.
const tenantClaim = (authorization: string | undefined): string | undefined => {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  try {
    const claim = token ? decodeJwt(token).tenantId : undefined;
    return typeof claim === 'string' ? claim : undefined;
  } catch {
    return undefined;
  }
};

const text = (res: ServerResponse, status: number, body: string) => void res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);

/** Acts out a fault; false when it only delays and the real answer should follow. */
const misbehave = (res: ServerResponse, fault: Fault): boolean => {
  switch (fault.action) {
    case 'reset':
      res.socket?.destroy();
      return true;
    case 'truncate':
      res.writeHead(fault.status ?? 201, { 'Content-Type': 'application/json', 'Content-Length': '400' });
      res.write('{"id": "0190f3c2-7b1a-7c3e-9d2f-');
      setTimeout(() => res.socket?.destroy(), 20);
      return true;
    case 'redirect':
      res.writeHead(fault.status ?? 307, { Location: fault.location ?? '/' }).end();
      return true;
    case 'oversized':
      res
        .writeHead(fault.status ?? 201, { 'Content-Type': 'application/json' })
        .end(`{"pad":"${'x'.repeat(fault.bytes ?? 8 * 1024 * 1024)}"}`);
      return true;
    case 'malformed':
      res.writeHead(fault.status ?? 201, { 'Content-Type': 'application/json' }).end('{"id": "not json');
      return true;
    default:
      if (fault.status === undefined) return false;
      send(res, { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) });
      return true;
  }
};

const wait = async ({ delayMs, until }: Fault) => {
  if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  await until;
};

/**
 * The Fetcher emulator behind a layer for resilience tests: every request recorded, lib-auth's token
 * checks when asked for, TLS, and programmed faults per route (delays, error answers, cut or broken
 * responses), before or after the emulator has done the real work.
 */
export const startFakeFetcher = async ({
  port = 0,
  token,
  tls,
  emulator: emulatorOptions,
}: FakeFetcherOptions = {}): Promise<FakeFetcher> => {
  const emulator = createFetcherEmulator(emulatorOptions);
  const requests: RecordedRequest[] = [];
  const faults = new Map<FakeRoute, Fault[]>();

  const takeFault = (route: FakeRoute, tenant: string | undefined): Fault | undefined => {
    const queue = faults.get(route) ?? [];
    const fault = queue.find((f) => f.tenant === undefined || f.tenant === tenant);
    if (!fault) return undefined;
    if (fault.after !== undefined && fault.after > 0) {
      fault.after--;
      return undefined;
    }
    if (fault.times !== undefined && --fault.times <= 0) queue.splice(queue.indexOf(fault), 1);
    return fault;
  };

  // lib-auth's plain-text refusals; undefined when the request may pass.
  const refusal = (authorization: string | undefined): [number, string] | undefined => {
    if (token === undefined) return undefined;
    if (!/^Bearer .+/i.test(authorization ?? '')) return [401, 'Missing Token'];
    const presented = authorization!.slice(7);
    if (typeof token === 'function' && !token(presented)) return [401, 'Invalid Token'];
    if (typeof token === 'string' && presented !== token) return [403, 'Forbidden'];
    return undefined;
  };

  const intercept: Intercept = async ({ route, request, res, answer }) => {
    let body: unknown = request.body;
    try {
      body = request.body ? JSON.parse(request.body) : undefined;
    } catch {
      /* recorded as text */
    }
    requests.push({ route, method: request.method, path: request.target, headers: { ...request.headers }, body });
    if (route === 'unknown') return send(res, answer());
    const refused = route === 'health' ? undefined : refusal(request.headers.authorization);
    if (refused) return text(res, ...refused);

    const fault = takeFault(route, tenantClaim(request.headers.authorization));
    if (fault && fault.phase !== 'after') {
      await wait(fault);
      if (misbehave(res, fault)) return;
    }
    const real = answer();
    if (fault?.phase === 'after') {
      await wait(fault);
      if (misbehave(res, fault)) return;
    }
    send(res, real);
  };

  const served = await serveFetcher(emulator, { port, ...(tls ? { tls } : {}), intercept });
  return {
    url: served.url,
    requests,
    calls: (route) => requests.reduce((count, request) => count + (request.route === route ? 1 : 0), 0),
    connections: (tenant) => emulator.connections(tenant),
    seed: (connections, tenant) => emulator.seed(connections, tenant),
    alter: (id, changes, tenant) => emulator.alter(id, changes, tenant),
    inject: (route, fault) => faults.set(route, [...(faults.get(route) ?? []), { ...fault }]),
    clearFaults: () => faults.clear(),
    setSchema: (configName, programme) => emulator.setSchema(configName, programme),
    setDatabase: (configName, programme) => emulator.setDatabase(configName, programme),
    setJobs: (id, programme) => emulator.setJobs(id, programme),
    stop: () => served.stop(),
  };
};
