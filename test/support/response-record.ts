import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/local-paths.ts';

/**
 * Every answer the integration tests receive through test/support/service.ts, one JSON line each, so
 * the contract test (which runs after them) can hold each one to the published schemas and to ours.
 * Answers never carry secrets; the requests that caused them are not recorded.
 */
export const RESPONSES_DIR = join(REPO_ROOT, 'reports', 'responses');

export interface RecordedResponse {
  /** The function that answered (functions/routes.ts). */
  route: string;
  status: number;
  contentType: string | undefined;
  /** The decoded JSON body; absent for an answer without one (204, 304). */
  body?: unknown;
}

// One file per worker process: appends from parallel test files never interleave within a line.
const file = join(RESPONSES_DIR, `responses-${process.pid}.jsonl`);

export const recordResponse = (response: RecordedResponse): void => {
  mkdirSync(RESPONSES_DIR, { recursive: true });
  appendFileSync(file, `${JSON.stringify(response)}\n`);
};

/** Every answer recorded since the run's global setup cleared the folder. */
export const recordedResponses = (): RecordedResponse[] => {
  let names: string[];
  try {
    names = readdirSync(RESPONSES_DIR).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names.flatMap((name) =>
    readFileSync(join(RESPONSES_DIR, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedResponse),
  );
};
