import type Provider from 'oidc-provider';

/**
 * Revokes a whole grant: its access and refresh tokens, unused codes, and the Grant itself, as
 * oidc-provider does when it sees a spent code or refresh token replayed (lib/helpers/revoke.js,
 * which needs a request context this project's callers do not always have).
 */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    provider.Grant.adapter.destroy(grantId),
  ]);
}
