import { requireCardProof, type CardProof } from './card-proof.js';
import { CredentialsError } from './credentials-error.js';
import type { CredentialStore } from './credential-store.js';
import type { EmailCodes } from './email-codes.js';
import type { Username } from './usernames.js';

/**
 * Changing the username of active credentials between the two the citizen may have (usernames.ts):
 * the fiscal code and the confirmed contact address. Behind a card sign-in; the database keeps
 * usernames unique (another citizen's address: `username_taken`). The password stays.
 */
export class UsernameChange {
  constructor(
    private readonly store: CredentialStore,
    /** The clock of stale unconfirmed activations, whose claim on an address lapses (credential-store.ts). */
    private readonly codes?: Pick<EmailCodes, 'staleClaims'>,
  ) {}

  async change(proof: CardProof, kind: Username['kind']): Promise<Username> {
    requireCardProof(proof);
    const citizen = await this.store.citizen(proof.fiscalCode);
    if (!citizen?.email || !citizen.emailConfirmed) throw new CredentialsError('no_identity', 'no active credentials');
    const username: Username = kind === 'email' ? { kind: 'email', value: citizen.email } : { kind: 'fiscal_code', value: citizen.identity.fiscalCode };
    if (!(await this.store.setUsername(citizen.citizenIndex, username, this.codes?.staleClaims()))) throw new CredentialsError('no_identity', 'no password to go with a username');
    return username;
  }
}
