import type { AwsCall } from '../support/aws-call-log.ts';
import { tenantOfSecretRead } from './judge-calls.ts';

/** The deployment settings of per-tenant Fetcher credentials the IAM check judges tenant secret reads against. */
export const TENANT_SECRET_PREFIX = 'matcher-discovery/fetcher/';
export const TENANT_CREDENTIALS = {
  multiTenant: true,
  fetcherAuth: { tokenUrl: 'https://auth.example.com/oauth2/token', tenantSecretPrefix: TENANT_SECRET_PREFIX },
};

/** A call that read one tenant's own Fetcher credentials (and nothing else). */
export const readsTenantSecret = (call: AwsCall): boolean =>
  call.resources.length > 0 && call.resources.every((resource) => tenantOfSecretRead(call, resource) !== undefined);
