import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../doubles/free-port.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';

/** Variables that would swap an embedded part for a real one: never inherited by a harness under test. */
const DEPENDENCY_VARIABLES = [
  'FETCHER_URL',
  'FETCHER_ALLOW_INSECURE_HTTP',
  'JWT_JWKS_URL',
  'JWT_SECRET',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'DYNAMODB_ENDPOINT',
  'TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'INVOKE_TOKEN',
  'PORT',
  'HOST',
  'MULTI_TENANT',
  'FETCHER_AUTH',
  'FETCHER_SHARED_IDENTITY',
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
];

/** The test run's environment without the dependency variables, plus `env`. */
export const harnessEnv = (env: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const base = { ...process.env };
  for (const name of DEPENDENCY_VARIABLES) delete base[name];
  return { ...base, ...env };
};

/** A temporary LOCAL_STATE_DIR, so tests never touch the developer's .local. */
export const tempStateDir = () => mkdtemp(join(tmpdir(), 'harness-state-'));
export const removeStateDir = (dir: string) => rm(dir, { recursive: true, force: true });

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HarnessProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stateDir: string;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<Exit>;
  /** SIGTERM, then SIGKILL if still running after 10 s; removes the state dir. */
  stop(): Promise<void>;
}

const READY = /Ctrl-C stops everything\./;

/** Waits until `predicate` holds, polling; false after `timeoutMs`. */
export const waitFor = async (predicate: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return predicate();
};

const exitOf = (child: ChildProcess): Promise<Exit> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

/**
 * Starts `command` (by default `node test/tools/start-api.ts`, what `npm start` runs) on a free port
 * with a temporary state dir, and resolves once its banner is printed.
 */
export const startHarness = async ({
  env = {},
  command = [process.execPath, 'test/tools/start-api.ts'],
  readyTimeoutMs = 60_000,
  detached = false,
}: {
  env?: Record<string, string>;
  command?: string[];
  readyTimeoutMs?: number;
  /** In a process group of its own, as a terminal's foreground job: `process.kill(-pid)` reaches all of it, as Ctrl-C does. */
  detached?: boolean;
} = {}): Promise<HarnessProcess> => {
  const port = await freePort();
  const stateDir = await tempStateDir();
  const options: SpawnOptions = {
    cwd: REPO_ROOT,
    env: harnessEnv({ PORT: String(port), LOCAL_STATE_DIR: stateDir, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  };
  const child = spawn(command[0]!, command.slice(1), options);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = exitOf(child);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await removeStateDir(stateDir);
  };

  const ready = await Promise.race([waitFor(() => READY.test(text), readyTimeoutMs), exited.then(() => false)]);
  if (!ready) {
    const early = child.exitCode !== null || child.signalCode !== null;
    await stop();
    throw new Error(`the harness ${early ? 'exited before printing' : `did not print within ${readyTimeoutMs} ms`} its banner:\n${text}`);
  }
  const url = /local API: (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!;
  return { child, url, port, stateDir, output: () => text, exited, stop };
};

/** The pids whose parent is `pid` (Linux /proc). */
export const childPids = async (pid: number): Promise<number[]> => {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
};

export const commandOf = (pid: number): Promise<string> =>
  readFile(`/proc/${pid}/cmdline`, 'utf8').then(
    (text) => text.replaceAll('\0', ' '),
    () => '',
  );

/** Whether a process with this pid exists (a zombie counts as gone). */
export const isRunning = async (pid: number): Promise<boolean> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

/** Whether a loopback port can be bound, i.e. nothing listens on it any more. */
export const isPortFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, killed after `timeoutMs`. */
export const run = (command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunResult> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
