import { Deadline } from '../../functions/discovery/deadline.ts';
import type { Call } from '../../functions/discovery/ports.ts';

/** A Call for adapter and use-case tests: tenant `default`, ending `inMs` from now. */
export const testCall = ({
  tenantId = 'default',
  requestId = 'test',
  inMs = 10_000,
}: { tenantId?: string; requestId?: string; inMs?: number } = {}): Call => ({
  tenantId,
  requestId,
  deadline: Deadline.in(inMs),
});
