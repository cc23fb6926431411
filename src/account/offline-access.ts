import type Provider from 'oidc-provider';
import type { AccountStore } from '../oidc/accounts.js';
import { claimLabels, claimsByScope } from '../oidc/cie-claims.js';
import { grantsOfflineAccess } from '../oidc/offline-access-scope.js';
import { revokeGrant } from '../oidc/revoke-grant.js';
import type { OfflineGrantIndex } from '../storage/state/offline-grant-index.js';

type Grant = InstanceType<Provider['Grant']>;

/** One relying party that may obtain a citizen's data while the citizen is away. */
export interface OfflineAccess {
  clientId: string;
  clientName: string;
  /** When the citizen last allowed it (epoch seconds). */
  grantedAt: number;
  /** The consented claims the page can name (scope claims and claims asked one by one). */
  claims: string[];
}


function consentedClaims(grant: Grant): string[] {
  const claims = new Set(grant.getOIDCClaims());
  for (const scope of grant.getOIDCScope().split(' ')) for (const claim of claimsByScope[scope as keyof typeof claimsByScope] ?? []) claims.add(claim);
  return [...claims].filter((claim) => claimLabels[claim] !== undefined);
}

/**
 * The citizen's offline grants, by relying party, and their withdrawal. The index says which grants
 * to look at; oidc-provider's Grant is the truth, so an entry whose grant has expired, was revoked,
 * or no longer carries offline_access is dropped from the index here.
 */
export class OfflineAccessRegistry {
  constructor(
    private readonly provider: Provider,
    private readonly index: OfflineGrantIndex,
    private readonly accounts: AccountStore,
  ) {}

  async list(accountId: string): Promise<OfflineAccess[]> {
    const byClient = new Map<string, OfflineAccess>();
    for (const grant of await this.#liveGrants(accountId)) {
      const clientId = grant.clientId!;
      const known = byClient.get(clientId);
      const claims = consentedClaims(grant);
      if (known) {
        known.grantedAt = Math.max(known.grantedAt, grant.iat);
        known.claims = [...new Set([...known.claims, ...claims])];
      } else {
        byClient.set(clientId, { clientId, clientName: await this.#clientName(clientId), grantedAt: grant.iat, claims });
      }
    }
    return [...byClient.values()].sort((a, b) => b.grantedAt - a.grantedAt);
  }

  /**
   * Revokes every offline grant of this citizen for this relying party: its refresh tokens, access
   * tokens and unused codes stop working at once. Returns how many grants were withdrawn.
   */
  async withdraw(accountId: string, clientId: string): Promise<number> {
    const grants = (await this.#liveGrants(accountId)).filter((grant) => grant.clientId === clientId);
    for (const grant of grants) {
      await revokeGrant(this.provider, grant.jti);
      await Promise.all([this.index.forget(accountId, grant.jti), this.accounts.forgetOfflineGrant(grant.jti)]);
    }
    return grants.length;
  }

  async #liveGrants(accountId: string): Promise<Grant[]> {
    const found = await Promise.all((await this.index.grantIdsOf(accountId)).map(async (grantId) => {
      const grant = await this.provider.Grant.find(grantId);
      if (grant && grant.accountId === accountId && grantsOfflineAccess(grant)) return grant;
      await this.index.forget(accountId, grantId);
      return undefined;
    }));
    return found.filter((grant) => grant !== undefined);
  }

  async #clientName(clientId: string): Promise<string> {
    const client = await this.provider.Client.find(clientId);
    return String(client?.clientName ?? clientId);
  }
}
