import { outputSince } from './log-sink.ts';

/** Everything written to stdout and stderr from now on: where the Lambda's logs go. */
export const captureOutput = () => {
  const text = outputSince();
  return {
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
};
