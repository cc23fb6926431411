/** The scope that asks for a refresh token (SPID/CIE OIDC guidelines: refresh tokens and offline_access — docs/references.md). */
export const OFFLINE_ACCESS = 'offline_access';

/** Whether a grant holds offline access: the citizen turned it on at a consent. */
export function grantsOfflineAccess(grant: { getOIDCScope(): string }): boolean {
  return grant.getOIDCScope().split(' ').includes(OFFLINE_ACCESS);
}
