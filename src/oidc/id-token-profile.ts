import { randomUUID } from 'node:crypto';
import type Provider from 'oidc-provider';
import { issuedValueOf } from './jwt-tokens.js';

interface IssuableToken {
  set(claim: string, value: unknown): void;
  ctx?: { oidc?: { entities?: { AccessToken?: { jti: string } } } };
  issue(options: { use: string; expiresAt?: number | null }): Promise<string>;
}

/**
 * ID tokens and userinfo JWTs as the CIE profile wants them (cie-oidc-profile.md §4, §5):
 * a uuid4 `jti` on both; on ID tokens `nbf` = `iat` and `at_hash` of the access token issued
 * with it. oidc-provider 9 has no hook for extra ID token claims, so this wraps the provider's
 * own IdToken class (one per Provider instance; nothing global changes). The library hashes
 * `at_hash` with the digest of the algorithm it signs with.
 */
export function applyIdTokenProfile(provider: Provider): void {
  const prototype = provider.IdToken.prototype as unknown as IssuableToken;
  const issue = prototype.issue;
  prototype.issue = function issueWithProfileClaims(this: IssuableToken, options) {
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
