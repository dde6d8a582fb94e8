import { parseArgs, type ParseArgsConfig } from 'node:util';

/** How every local command refuses: the message on stderr, exit status 1. */
export const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

/**
 * The command line of a local command (`options` should hold `help`): a bad option fails with the
 * usage after the problem; `--help` prints the usage and exits 0.
 */
export const commandLine = <T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> => {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
};

/**
 * Runs a one-shot command to its end: stops what it started (also when a signal interrupted it), then
 * exits with its code, or fails naming the command.
 */
export const runToEnd = (name: string, run: () => Promise<number>, stop: () => Promise<unknown>, stopping: () => boolean): void => {
  run().then(
    async (code) => {
      await stop();
      process.exit(code);
    },
    async (error: unknown) => {
      if (stopping()) return;
      await stop();
      fail(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
};
