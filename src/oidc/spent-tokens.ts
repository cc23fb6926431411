import { errors, type Adapter } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { revokeGrant } from './revoke-grant.js';

/** The adapters of this project (memory, Redis) can drop one model's entries of a grant. */
export interface GrantMemberAdapter extends Adapter {
  destroyAllOfGrant(grantId: string): Promise<void>;
}

interface SpendableToken {
  grantId?: string;
  consume(): Promise<void>;
}

interface SpendableClass {
  prototype: SpendableToken;
}

function grantMemberAdapter(adapter: Adapter): GrantMemberAdapter {
  if (typeof (adapter as Partial<GrantMemberAdapter>).destroyAllOfGrant !== 'function') {
    throw new TypeError('the oidc-provider adapter must implement destroyAllOfGrant (use this project\'s memory or Redis adapter)');
  }
  return adapter as GrantMemberAdapter;
}

/**
 * What spending a refresh token or an authorization code does beyond the library:
 * - the winner of a refresh invalidates every access token issued before it for that grant (RP and
 *   citizen; cie-oidc-profile.md §3.4 "each refresh … invalidates all previously issued tokens");
 *   the old refresh token is kept, consumed, so that replaying it is still detected;
 * - the loser of a concurrent redemption (the adapter's atomic consume refused it) revokes the grant,
 *   exactly as the library does when a spent code or refresh token is replayed one after the other:
 *   two parties holding one token means it leaked.
 */
export function applySpentTokenRules(provider: Provider): void {
  const { AccessToken, RefreshToken, AuthorizationCode } = provider as unknown as Record<string, SpendableClass & { adapter: Adapter }>;
  const accessTokens = grantMemberAdapter(AccessToken!.adapter);

  for (const model of [RefreshToken!, AuthorizationCode!]) {
    const consume = model.prototype.consume;
    const consumeOrRevoke = async (token: SpendableToken) => {
      try {
        await consume.call(token);
      } catch (error) {
        // Only "already consumed" (model-rules.ts): a storage outage must not look like a leak.
        if (error instanceof errors.InvalidGrant && token.grantId) await revokeGrant(provider, token.grantId);
        throw error;
      }
    };
    model.prototype.consume = async function spend(this: SpendableToken) {
      if (model !== RefreshToken || !this.grantId) return consumeOrRevoke(this);
      // Issued together (one Redis round trip): should the consume lose, the grant is revoked anyway.
      await Promise.all([consumeOrRevoke(this), accessTokens.destroyAllOfGrant(this.grantId)]);
    };
  }
}
