import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/local-paths.ts';

interface LockedPackage {
  version: string;
  optional?: boolean;
  dev?: boolean;
  os?: string | string[];
  cpu?: string | string[];
  bin?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(`${REPO_ROOT}/package-lock.json`, 'utf8')) as { packages: Record<string, LockedPackage> };
const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as {
  scripts: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

// npm's own rule (npm-install-checks' checkList): a package is skipped unless each os/cpu list it declares admits the platform.
const admits = (declared: string | string[] | undefined, value: string) => {
  if (declared === undefined) return true;
  const list = [declared].flat();
  if (list.length === 1 && list[0] === 'any') return true;
  const negated = list.filter((entry) => entry.startsWith('!'));
  if (negated.includes(`!${value}`)) return false;
  return list.includes(value) || negated.length === list.length;
};

/** The top-level packages `npm ci` installs on this platform that put a `node` in node_modules/.bin. */
const nodeBinariesFor = (os: string, cpu: string) =>
  Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/[^/]+$/.test(path) && entry.bin?.node && admits(entry.os, os) && admits(entry.cpu, cpu))
    .map(([path, entry]) => ({ name: path.slice('node_modules/'.length), ...entry }));

const PLATFORMS = [
  ['darwin', 'arm64'],
  ['darwin', 'x64'],
  ['linux', 'arm64'],
  ['linux', 'x64'],
] as const;

describe("the project's own Node, from package-lock.json", () => {
  it.each(PLATFORMS)('is one Node 22 (22.18 or later: TypeScript without flags) binary on %s-%s', (os, cpu) => {
    const binaries = nodeBinariesFor(os, cpu);
    expect(binaries.map((binary) => binary.name)).toHaveLength(1);
    const [binary] = binaries;
    const [major, minor] = binary!.version.split('.').map(Number);
    expect(major).toBe(22);
    expect(minor).toBeGreaterThanOrEqual(18);
    // Optional, so npm skips it elsewhere instead of failing; locked with the platform it is for.
    expect(binary!.optional).toBe(true);
    expect([binary!.os].flat()).toEqual([os]);
    expect([binary!.cpu].flat()).toEqual([cpu]);
    expect(manifest.optionalDependencies[binary!.name]).toBe(binary!.version);
  });

  it('is the same version on every platform, so a laptop runs what CI runs', () => {
    const versions = new Set(PLATFORMS.flatMap(([os, cpu]) => nodeBinariesFor(os, cpu).map((binary) => binary.version)));
    expect([...versions]).toHaveLength(1);
    expect(process.version).toBe(`v${[...versions][0]}`);
  });

  it('runs every TypeScript entry point through it (npm puts node_modules/.bin first on PATH)', () => {
    for (const script of ['start', 'invoke', 'token', 'bench']) expect(manifest.scripts[script]).toMatch(/^node test\//);
    expect(JSON.parse(readFileSync(`${REPO_ROOT}/cdk.json`, 'utf8')).app).toBe('node infra/app.ts');
  });
});
