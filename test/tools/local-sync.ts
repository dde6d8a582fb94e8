import { lambdaContext } from './lambda-context.ts';
import { loadBackgroundHandler, SCHEDULED_INPUT, type DispatcherHandler, type WorkerHandler } from './background-handlers.ts';
import type { LocalDependencies } from './local-dependencies.ts';
import { sqsEventOf } from './sqs-event.ts';

// The stack's defaults: the dispatcher's timeout, and the worker's (CDK sync.timeoutSeconds).
const DISPATCHER_TIMEOUT_MS = 60_000;
const WORKER_TIMEOUT_MS = 120_000;

export interface LocalSync {
  /** What the banner says about it. */
  description: string;
  stop(): void;
}

/**
 * The scheduled sync, locally: every `intervalS` the dispatcher's real handler runs with the
 * schedule's event, and each message it sends to the embedded queue is handed to the worker's real
 * handler in an SQSEvent of one record, as the stack's event source (batch size 1) would. With a real
 * queue (SYNC_QUEUE_URL), its own consumers run the worker, not this process.
 */
export const startLocalSync = async (
  intervalS: number,
  dependencies: Pick<LocalDependencies, 'consumeSyncQueue'>,
  log: (line: string) => void,
): Promise<LocalSync> => {
  const dispatcher = await loadBackgroundHandler<DispatcherHandler>('schedule');
  const worker = await loadBackgroundHandler<WorkerHandler>('queue');
  const queueUrl = process.env.SYNC_QUEUE_URL ?? '';
  dependencies.consumeSyncQueue?.(async (message) => {
    const { batchItemFailures } = await worker(sqsEventOf([message], queueUrl), lambdaContext(WORKER_TIMEOUT_MS, 'sync-worker'));
    if (batchItemFailures.length > 0) {
      log(`sync worker: message ${message.messageId} failed (in AWS the queue would retry it, then move it to the dead-letter queue)`);
    }
  });
  let running = false;
  const tick = async () => {
    // One dispatch at a time, as a rate schedule never overlaps a slow run with itself here.
    if (running) return;
    running = true;
    try {
      await dispatcher(SCHEDULED_INPUT, lambdaContext(DISPATCHER_TIMEOUT_MS, 'sync-dispatcher'));
    } catch (error) {
      log(`sync dispatcher failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalS * 1_000);
  const consumer = dependencies.consumeSyncQueue
    ? 'the sync worker takes each message from the local queue'
    : 'the real queue’s consumers sync';
  return {
    description: `every ${intervalS} s the sync dispatcher sends one message per registered tenant; ${consumer}`,
    stop: () => clearInterval(timer),
  };
};
