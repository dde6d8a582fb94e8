import { describe, expect, it } from 'vitest';
import { harnessEnv, run } from '../../support/harness-process.ts';

describe('npm start with a HOST that is not loopback', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10'])('refuses HOST=%s without --expose: one line, exit 1, nothing started', async (host) => {
    const result = await run(process.execPath, ['test/tools/start-api.ts', '--no-sync'], harnessEnv({ HOST: host, PORT: '0' }), 30_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^HOST=\S+ is not a loopback address: [^\n]+; pass --expose to listen there anyway\n$/);
    expect(result.stderr).toContain(`HOST=${host} `);
  });

  it('names --expose in its usage', async () => {
    const result = await run(process.execPath, ['test/tools/start-api.ts', '--help'], harnessEnv(), 30_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--expose\s+allow a HOST that is not a loopback address/);
  });
});
