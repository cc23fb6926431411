import { randomUUID } from 'node:crypto';
import type Provider from 'oidc-provider';
import { issuedValueOf } from './jwt-tokens.js';

interface IssuableToken {
  set(claim: string, value: unknown): void;
  ctx?: { oidc?: { entities?: { AccessToken?: { jti: string } }; params?: { grant_type?: unknown } } };
  issue(options: { use: string; expiresAt?: number | null }): Promise<string | undefined>;
}

/**
 * ID tokens and userinfo JWTs as the CIE profile wants them (SPID/CIE OIDC guidelines: userinfo, ID token — docs/references.md):
 * a uuid4 `jti` on both; on ID tokens `nbf` = `iat` and `at_hash` of the access token issued
 * with it. oidc-provider 9 has no hook for extra ID token claims, so this wraps the provider's
 * own IdToken class (one per Provider instance; nothing global changes). The library hashes
 * `at_hash` with the digest of the algorithm it signs with.
 * A refresh never yields an ID token (§3.4): the library would sign one for the token response,
 * so it is not issued at all (the response then has no `id_token`), which also saves an RSA
 * signature per refresh.
 */
export function applyIdTokenProfile(provider: Provider): void {
  const prototype = provider.IdToken.prototype as unknown as IssuableToken;
  const issue = prototype.issue;
  prototype.issue = async function issueWithProfileClaims(this: IssuableToken, options) {
    if (options.use === 'idtoken' && this.ctx?.oidc?.params?.grant_type === 'refresh_token') return undefined;
    this.set('jti', randomUUID());
    if (options.use === 'idtoken') {
      const now = Math.floor(Date.now() / 1000);
      this.set('iat', now);
      this.set('nbf', now);
      // The hash is over the value the client got: the access token's JWT (jwt-tokens.ts).
      const accessToken = this.ctx?.oidc?.entities?.AccessToken;
      const value = accessToken && issuedValueOf(accessToken);
      if (value) this.set('at_hash', value);
    }
    return issue.call(this, options);
  };
}
