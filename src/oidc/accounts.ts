import type { StateStore } from '../storage/state-store.js';

/** The attributes of one citizen as last read from the card, plus extra-registry attributes. */
export type AccountClaims = Record<string, unknown>;

/** Extra-registry attributes (e-mail, phone, address…) keyed by fiscal code; see attribute-directory.ts. */
export interface AttributeDirectory {
  lookup(fiscalCode: string): Promise<AccountClaims>;
}

export function accountIdFor(fiscalCode: string): string {
  return `TINIT-${fiscalCode}`;
}

/**
 * Accounts live only as long as the login that created them: registry attributes come fresh from
 * the card at every level-3 login, so nothing about a citizen is kept beyond the session. The one
 * exception is what the citizen consented to release while away (offline_access): a copy kept per
 * offline grant, as long as that grant, and deleted when the citizen withdraws it.
 */
export class AccountStore {
  constructor(
    private readonly store: StateStore,
    private readonly directory: AttributeDirectory,
    private readonly ttlSeconds: number,
  ) {}

  /** Saves the card's attributes over the directory's; returns the account and the attributes saved. */
  async saveFromCard(fiscalCode: string, cardClaims: AccountClaims): Promise<{ accountId: string; claims: AccountClaims }> {
    const accountId = accountIdFor(fiscalCode);
    const extra = await this.directory.lookup(fiscalCode);
    // Registry attributes from the card win over anything the directory holds.
    const claims = { ...extra, ...cardClaims };
    // One overwriting write: a delete-then-insert would let a concurrent login of the same citizen
    // find no account in between.
    await this.store.put(accountKey(accountId), claims, this.ttlSeconds);
    return { accountId, claims };
  }

  /**
   * The citizen's attributes: from the latest login while it lasts, else, for a token of an offline
   * grant (`offlineGrantId`), the copy kept for that grant. Both are read at once (one round trip).
   */
  async claimsOf(accountId: string, offlineGrantId?: string): Promise<AccountClaims | undefined> {
    if (offlineGrantId === undefined) return this.store.get<AccountClaims>(accountKey(accountId));
    const [live, kept] = await Promise.all([this.store.get<AccountClaims>(accountKey(accountId)), this.store.get<AccountClaims>(offlineKey(offlineGrantId))]);
    return live ?? kept;
  }

  /** Keeps the account's current attributes for an offline grant, for `ttlSeconds` (the grant's remaining life). */
  async keepForOfflineGrant(accountId: string, grantId: string, ttlSeconds: number): Promise<void> {
    const claims = await this.store.get<AccountClaims>(accountKey(accountId));
    if (claims) await this.store.put(offlineKey(grantId), claims, Math.max(ttlSeconds, 1));
  }

  async forgetOfflineGrant(grantId: string): Promise<void> {
    await this.store.delete(offlineKey(grantId));
  }
}

function accountKey(accountId: string): string {
  return `account:${accountId}`;
}

function offlineKey(grantId: string): string {
  return `offline-account:${grantId}`;
}
