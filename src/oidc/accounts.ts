import type { StateStore } from './state/state-store.js';

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
 * the card at every level-3 login, so nothing about a citizen is kept beyond the session.
 */
export class AccountStore {
  constructor(
    private readonly store: StateStore,
    private readonly directory: AttributeDirectory,
    private readonly ttlSeconds: number,
  ) {}

  async saveFromCard(fiscalCode: string, cardClaims: AccountClaims): Promise<string> {
    const accountId = accountIdFor(fiscalCode);
    const extra = await this.directory.lookup(fiscalCode);
    // Registry attributes from the card win over anything the directory holds.
    const claims = { ...extra, ...cardClaims };
    // One overwriting write: a delete-then-insert would let a concurrent login of the same citizen
    // find no account in between.
    await this.store.put(`account:${accountId}`, claims, this.ttlSeconds);
    return accountId;
  }

  async claimsOf(accountId: string): Promise<AccountClaims | undefined> {
    return this.store.get<AccountClaims>(`account:${accountId}`);
  }
}
