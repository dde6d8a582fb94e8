/** Whose key it is: the same key on another route, from another tenant or subject, is another request. */
export interface IdempotencyScope {
  route: string;
  tenantId: string;
  subject: string;
  key: string;
}

/** What claiming a key found: it is ours now, another request holds it, it has an answer, or it was used for another body. */
export type Claim =
  { outcome: 'claimed' } | { outcome: 'in-progress' } | { outcome: 'completed'; response: unknown } | { outcome: 'different-request' };
