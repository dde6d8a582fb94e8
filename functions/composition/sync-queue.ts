import { createSyncQueue } from '../adapters/sqs/sqs-sync-queue.ts';
import { queueSection } from '../config/queue-section.ts';
import type { SyncQueue } from '../discovery/cache-ports.ts';
import { part, sectionPart } from './container.ts';

export const queueOptions = sectionPart(queueSection);

export const syncQueue = part<SyncQueue>(async (container) => createSyncQueue(await queueOptions(container)));
