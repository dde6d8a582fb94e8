/** How long stopping may take before the process gives up and exits 1 (DynamoDB Local gets SIGKILL at 5 s). */
const GRACE_MS = 15_000;

/** How often the parent is checked for: npm's `sh -c` does not pass SIGTERM on, it just dies. */
const PARENT_CHECK_MS = 500;

/**
 * On the first SIGINT (Ctrl-C) or SIGTERM, or when the parent process goes away (npm killed, its
 * shell gone), runs `stop` and exits 0; 1 if stopping failed or hung.
 * Returns whether a stop is under way, so a startup failure caused by the signal is not reported as one.
 */
export const stopOnSignal = (stop: () => Promise<void>, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) => {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals | 'parent exited') => {
    // A second Ctrl-C while stopping changes nothing: the grace timer already bounds the wait.
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    setTimeout(() => {
      log(`did not stop within ${GRACE_MS / 1000} s`);
      process.exit(1);
    }, GRACE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onSignal('parent exited');
  }, PARENT_CHECK_MS).unref();
  return { stopping: () => stopping };
};
