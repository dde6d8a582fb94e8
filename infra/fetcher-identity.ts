/** The part of the settings that decides whose identity the functions present to Fetcher. */
interface FetcherIdentitySettings {
  multiTenant: boolean;
  fetcherSharedIdentity: boolean;
  fetcherAuth?: { tokenSecretArn: string } | { clientSecretArn: string } | { tenantSecretPrefix: string } | undefined;
}

/** The name prefix of the tenants' own client-credential secrets, when each tenant has one. */
export const tenantSecretPrefixOf = (settings: Pick<FetcherIdentitySettings, 'fetcherAuth'>): string | undefined =>
  settings.fetcherAuth && 'tenantSecretPrefix' in settings.fetcherAuth ? settings.fetcherAuth.tenantSecretPrefix : undefined;

const identityOf = (fetcherAuth: FetcherIdentitySettings['fetcherAuth']) =>
  !fetcherAuth ? 'no fetcherAuth' : 'tokenSecretArn' in fetcherAuth ? 'fetcherAuth.tokenSecretArn' : 'fetcherAuth.clientSecretArn';

/**
 * Fetcher picks a tenant's database from the token it receives: one identity for every tenant puts
 * them all in one namespace, where a tenant sees and takes the others' connection names. The
 * functions refuse to start that way (FETCHER_SHARED_IDENTITY); the synth refuses it first, in the
 * settings' own terms.
 */
export const fetcherIdentityProblems = (settings: FetcherIdentitySettings): string[] => {
  const prefix = tenantSecretPrefixOf(settings);
  if (settings.multiTenant && prefix === undefined && !settings.fetcherSharedIdentity) {
    return [
      `multiTenant: true with ${identityOf(settings.fetcherAuth)} sends every tenant to Fetcher as one identity: ` +
        'set fetcherAuth {tokenUrl, tenantSecretPrefix} for per-tenant credentials, ' +
        'or fetcherSharedIdentity: true if the Fetcher behind it is single-tenant on purpose',
    ];
  }
  if (prefix !== undefined && !settings.multiTenant) {
    return ['fetcherAuth.tenantSecretPrefix: needs multiTenant: true (a single tenant uses fetcherAuth.clientSecretArn)'];
  }
  if (prefix !== undefined && settings.fetcherSharedIdentity) {
    return ['fetcherSharedIdentity: true contradicts fetcherAuth.tenantSecretPrefix, which gives each tenant its own identity'];
  }
  return [];
};
