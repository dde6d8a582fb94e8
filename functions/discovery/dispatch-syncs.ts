import type { SyncQueue, TenantRegistry } from './cache-ports.ts';
import type { Call } from './ports.ts';

/** The scheduled fan-out: one queue message per registered tenant; the queue's consumers bound the load on Fetcher. */
export const dispatchSyncs =
  ({ registry, queue }: { registry: Pick<TenantRegistry, 'list'>; queue: SyncQueue }) =>
  async (call: Call): Promise<{ tenants: number }> => {
    const tenants = await registry.list(call);
    await queue.enqueue(tenants, call);
    return { tenants: tenants.length };
  };
