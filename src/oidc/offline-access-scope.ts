/** The scope that asks for a refresh token (cie-oidc-profile.md §3.4). */
export const OFFLINE_ACCESS = 'offline_access';

/** Whether a grant holds offline access: the citizen turned it on at a consent. */
export function grantsOfflineAccess(grant: { getOIDCScope(): string }): boolean {
  return grant.getOIDCScope().split(' ').includes(OFFLINE_ACCESS);
}
