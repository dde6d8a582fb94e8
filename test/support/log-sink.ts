import { afterEach, beforeEach } from 'vitest';

/**
 * Every test file runs with the handler's logs on (POWERTOOLS_LOG_LEVEL=DEBUG), so logging code is
 * exercised everywhere. This sink keeps whatever reaches stdout and stderr so tests can assert on it,
 * swallows the JSON log lines so a green run stays quiet, and prints them when a test fails.
 */
const written: string[] = [];
let testStart = 0;

const passThrough = (stream: NodeJS.WriteStream) => {
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    written.push(text);
    // JSON log lines, EMF metric lines ({"_aws":...}) and the CDK's bundling progress are kept, not printed.
    const quiet = text.startsWith('{"level":') || text.startsWith('{"_aws":') || text.startsWith('Bundling asset ');
    return quiet ? true : original(chunk, ...rest);
  };
  return original;
};

const printOut = passThrough(process.stdout);
passThrough(process.stderr);

beforeEach(() => {
  testStart = written.length;
});

afterEach((context) => {
  if (context.task.result?.state === 'fail') printOut(`--- handler logs of the failed test ---\n${written.slice(testStart).join('')}`);
});

/** What was written from now on. */
export const outputSince = () => {
  const start = written.length;
  return () => written.slice(start).join('');
};
