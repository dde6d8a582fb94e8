import { backgroundCall } from '../composition/background-call.ts';
import { backgroundFunction } from '../composition/background-function.ts';
import type { Container } from '../composition/container.ts';
import { tenantRegistry } from '../composition/dynamodb.ts';
import { syncQueue } from '../composition/sync-queue.ts';
import { dispatchSyncs } from '../discovery/dispatch-syncs.ts';
import { logger } from '../observability/logger.ts';

/** Invoked by the schedule: sends one sync message per registered tenant. */
export const syncDispatcher = async (container: Container) => {
  const dispatch = dispatchSyncs({ registry: await tenantRegistry(container), queue: await syncQueue(container) });
  return backgroundFunction(container, async (_event: unknown, context) => {
    // The registry is no tenant's: the call acts for the service itself.
    const { tenants } = await dispatch(backgroundCall('*', context.awsRequestId, context));
    logger.info('syncs dispatched', { tenants });
    return { tenants };
  });
};
