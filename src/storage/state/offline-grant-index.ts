import type { StateStore } from '../state-store.js';

/**
 * Which oidc-provider grants with offline_access a citizen holds, so that the account page can list
 * and withdraw them (SPID/CIE OIDC guidelines: refresh tokens and offline_access — docs/references.md "User controls"). oidc-provider cannot look grants up
 * by account; this index can. Each entry lives as long as its grant; entries whose grant has gone
 * (expired or revoked) are dropped by whoever finds them so.
 */
export class OfflineGrantIndex {
  constructor(private readonly store: StateStore) {}

  /** `ttlSeconds`: what is left of the grant's life (its `remainingTTL`). */
  async record(accountId: string, grantId: string, ttlSeconds: number): Promise<void> {
    await this.store.addToSet(keyOf(accountId), grantId, Math.max(ttlSeconds, 1));
  }

  async grantIdsOf(accountId: string): Promise<string[]> {
    return this.store.setMembers(keyOf(accountId));
  }

  async forget(accountId: string, grantId: string): Promise<void> {
    await this.store.removeFromSet(keyOf(accountId), grantId);
  }
}

function keyOf(accountId: string): string {
  return `offline-grants:${accountId}`;
}
