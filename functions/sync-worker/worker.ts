import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { backgroundCall } from '../composition/background-call.ts';
import { backgroundFunction } from '../composition/background-function.ts';
import type { Container } from '../composition/container.ts';
import { tenantSync } from '../composition/sync.ts';
import { MatcherError } from '../discovery/errors.ts';
import { errorFields } from '../observability/error-fields.ts';
import { logger } from '../observability/logger.ts';

const message = z.object({ tenantId: z.string().min(1).max(64) });

/**
 * Consumes the sync queue: one tenant's sync per message. A message whose tenant is already being
 * synced is done (that run covers it); a sync whose listing failed is a failed message, retried by
 * the queue and, after its last receive, moved to the dead-letter queue.
 */
export const syncWorker = async (container: Container) => {
  const sync = await tenantSync(container);
  const processor = new BatchProcessor(EventType.SQS);
  return backgroundFunction(container, async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
    const syncOne = async (record: SQSRecord) => {
      const { tenantId } = message.parse(JSON.parse(record.body));
      try {
        const result = await sync(backgroundCall(tenantId, record.messageId, context));
        logger.info('tenant synced', { tenantId, ...result, listingError: undefined });
        if (result.listingError !== undefined) throw new Error('the listing of Fetcher failed part way', { cause: result.listingError });
      } catch (error) {
        if (error instanceof MatcherError && error.code === 'MTCH-0205') return logger.info('tenant sync already running', { tenantId });
        logger.warn('tenant sync failed', { tenantId, error: errorFields(error) });
        throw error;
      }
    };
    return processPartialResponse(event, syncOne, processor, { context, processInParallel: false });
  });
};
