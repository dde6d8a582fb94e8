import type { Call } from '../../discovery/ports.ts';
import type { SecretReader } from '../secrets-manager.ts';
import { oauthTokenSource } from './oauth-token-source.ts';
import { tenantCredentials, type TenantCredentialOptions } from './tenant-credentials.ts';

/** How the service authenticates to Fetcher (FETCHER_AUTH and its variables). */
export type FetcherAuthOptions =
  | { mode: 'none' }
  | { mode: 'bearer'; token: string }
  | { mode: 'client_credentials'; tokenUrl: string; clientId: string; clientSecret: string; timeoutMs: number }
  /** One identity per tenant: Fetcher picks the tenant's database from its token's tenantId claim. */
  | ({ mode: 'tenant_client_credentials'; tokenUrl: string; timeoutMs: number } & TenantCredentialOptions);

/** The credentials of Fetcher calls: each call acts for one tenant. */
export interface FetcherAuth {
  headers(call: Call): Promise<Record<string, string>>;
  /** Fetcher answered 401 for this call's tenant: forget that tenant's credential before its next call. */
  rejected(call: Call): void;
  /** Whether a call refused with 401 is worth one more try with a fresh credential. */
  readonly refreshable: boolean;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export const createFetcherAuth = (config: FetcherAuthOptions, readSecret?: SecretReader, now: () => number = Date.now): FetcherAuth => {
  switch (config.mode) {
    case 'none':
      return { refreshable: false, headers: async () => ({}), rejected: () => {} };
    case 'bearer': {
      const headers = bearer(config.token);
      return { refreshable: false, headers: async () => headers, rejected: () => {} };
    }
    case 'client_credentials': {
      const source = oauthTokenSource(config, async () => config, now);
      return { refreshable: true, headers: async (call) => bearer(await source.token(call)), rejected: () => source.forget() };
    }
    case 'tenant_client_credentials': {
      if (!readSecret) throw new Error('per-tenant Fetcher credentials need a secret reader');
      const credentialsOf = tenantCredentials(config, readSecret, now);
      const sources = new Map<string, ReturnType<typeof oauthTokenSource>>();
      const sourceOf = (tenantId: string) => {
        let source = sources.get(tenantId);
        if (!source) sources.set(tenantId, (source = oauthTokenSource(config, credentialsOf, now)));
        return source;
      };
      return {
        refreshable: true,
        headers: async (call) => bearer(await sourceOf(call.tenantId).token(call)),
        rejected: (call) => sourceOf(call.tenantId).forget(),
      };
    }
  }
};
