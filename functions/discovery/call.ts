import type { Deadline } from './deadline.ts';

/** What every outbound call carries: the tenant it acts for, the request it serves, and when it must end. */
export interface Call {
  tenantId: string;
  requestId: string;
  deadline: Deadline;
}
