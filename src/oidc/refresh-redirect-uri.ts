import { errors, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * The unmerged DOCS change (SPID/CIE OIDC guidelines: token request — docs/references.md, "DOCS-PR") adds `redirect_uri` to the refresh
 * request. The code grant already requires it (oidc-provider, OIDC Core 3.1.3.1); on a refresh it is
 * accepted, and when sent it must be one of the client's registered redirect URIs (the refresh token
 * does not record the one of the original authorization). The library does not parse it for this
 * grant, so it is read from the raw form.
 */
export function assertRefreshRedirectUri(ctx: KoaContextWithOIDC): void {
  const sent = (ctx.oidc.body as Record<string, unknown> | undefined)?.redirect_uri;
  if (sent === undefined) return;
  if (typeof sent !== 'string' || !ctx.oidc.client?.redirectUriAllowed(sent)) {
    throw new errors.InvalidGrant('redirect_uri is not one of the client\'s registered redirect URIs');
  }
}
