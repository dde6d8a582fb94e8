import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childPids, commandOf, isPortFree, isRunning, startHarness, waitFor, type HarnessProcess } from '../../support/harness-process.ts';
import { REPO_ROOT } from '../../tools/local-paths.ts';

let harness: HarnessProcess | undefined;
// Processes a failed test could leave behind (start-api.ts under a killed npm), killed whatever happened.
const strays: number[] = [];
afterEach(async () => {
  await harness?.stop();
  for (const pid of strays.splice(0)) if (await isRunning(pid)) process.kill(pid, 'SIGKILL');
}, 30_000);

/** The first descendant of `pid` whose command line contains `text`. */
const descendant = async (pid: number, text: string): Promise<number | undefined> => {
  for (const child of await childPids(pid)) {
    if ((await commandOf(child)).includes(text)) return child;
    const deeper = await descendant(child, text);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
};
const javaUnder = (pid: number) => descendant(pid, 'DynamoDBLocal.jar');

const dynamoDbPortOf = (output: string) => Number(/DynamoDB Local at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1]);

describe('stopping npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s closes every server, kills and reaps DynamoDB Local, frees the ports and exits 0',
    async (signal) => {
      harness = await startHarness();
      const java = await javaUnder(harness.child.pid!);
      expect(java).toBeDefined();
      const ports = [harness.port, dynamoDbPortOf(harness.output())];

      harness.child.kill(signal);
      expect(await harness.exited).toEqual({ code: 0, signal: null });
      expect(harness.output()).toContain(`${signal}: stopping`);
      expect(await isRunning(java!)).toBe(false);
      for (const port of ports) expect(await isPortFree(port)).toBe(true);
    },
    90_000,
  );

  it('Ctrl-C on `npm start` (SIGINT to its whole process group) stops everything, and npm ends as interrupted: status 130, as the README says', async () => {
    harness = await startHarness({ command: ['npm', 'start'], detached: true });
    const api = await descendant(harness.child.pid!, 'start-api.ts');
    const java = await javaUnder(harness.child.pid!);
    strays.push(...[java, api].filter((pid) => pid !== undefined));
    const ports = [harness.port, dynamoDbPortOf(harness.output())];

    process.kill(-harness.child.pid!, 'SIGINT');
    // The script stops everything and exits 0; npm, interrupted too, reports the signal (a shell shows 130).
    expect(await harness.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(harness.output()).toContain('SIGINT: stopping');
    expect(await waitFor(async () => !(await isRunning(api!)) && !(await isRunning(java!)), 20_000)).toBe(true);
    expect(await waitFor(async () => (await Promise.all(ports.map(isPortFree))).every(Boolean), 5_000)).toBe(true);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/Ctrl-C[^.]*exit status 130/);
  }, 90_000);

  it('stops everything when npm itself is killed (its sh does not pass SIGTERM on)', async () => {
    harness = await startHarness({ command: ['npm', 'start'] });
    const api = await descendant(harness.child.pid!, 'start-api.ts');
    const java = await javaUnder(harness.child.pid!);
    strays.push(...[java, api].filter((pid) => pid !== undefined));
    expect(java).toBeDefined();
    const ports = [harness.port, dynamoDbPortOf(harness.output())];

    harness.child.kill('SIGTERM');
    await harness.exited;
    expect(await waitFor(async () => !(await isRunning(api!)) && !(await isRunning(java!)), 20_000)).toBe(true);
    expect(await waitFor(async () => (await Promise.all(ports.map(isPortFree))).every(Boolean), 5_000)).toBe(true);
  }, 90_000);
});
