import type { AccessToken, ClientCredentials, KoaContextWithOIDC, RefreshToken } from 'oidc-provider';

/**
 * CIE revocation (SPID/CIE OIDC guidelines: revocation — docs/references.md): a client revokes only its own tokens (others get the
 * normal 200 and nothing changes); revoking a refresh token also revokes the grant's access
 * tokens (the library's cascade), but revoking an access token must leave the refresh token.
 * oidc-provider always cascades to the whole grant, so an access token is destroyed here, alone,
 * and the library is told not to revoke anything further.
 */
export async function cieRevocationPolicy(
  _ctx: KoaContextWithOIDC,
  client: { clientId: string },
  token: AccessToken | ClientCredentials | RefreshToken,
): Promise<boolean> {
  if (token.clientId !== client.clientId) return false;
  if (token.kind === 'AccessToken') {
    await token.destroy();
    return false;
  }
  return true;
}
