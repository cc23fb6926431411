import type { Language } from '../shared/language.js';
import { requireCardProof, type CardProof } from './card-proof.js';
import { CredentialsError } from './credentials-error.js';
import type { CredentialStore } from './credential-store.js';
import type { EmailCodes } from './email-codes.js';
import type { PasswordHasher } from './password-hasher.js';
import { newPasswordRefusal, type BreachedPasswordCheck } from './password-policy.js';
import { normalizeEmail, type Username } from './usernames.js';

export interface ActivationRequest {
  /** The username the citizen chose: their fiscal code or their e-mail address. */
  usernameKind: Username['kind'];
  email: string;
  password: string;
}

/**
 * Activating level-1/2 credentials, as the real service does after a level-3 sign-in ("Attiva le
 * tue credenziali"): the identity read from the card, a username, a password of the policy, and an
 * e-mail contact confirmed by a one-time code. The password signs in only once the contact is
 * confirmed. The same steps change the password or the contact later (always behind a card sign-in).
 */
export class CredentialActivation {
  constructor(
    private readonly store: CredentialStore,
    private readonly hasher: PasswordHasher,
    private readonly codes: EmailCodes,
    /** The breached-password sources the operator turned on (breached-passwords.ts); none by default. */
    private readonly breached?: BreachedPasswordCheck,
  ) {}

  /** Stores what the citizen chose and mails the confirmation code; returns the code's id. */
  async begin(proof: CardProof, request: ActivationRequest, language: Language): Promise<string> {
    requireCardProof(proof);
    const email = normalizeEmail(request.email);
    if (!email) throw new CredentialsError('invalid_email', 'not an e-mail address');
    const refusal = await newPasswordRefusal(request.password, { fiscalCode: proof.fiscalCode, email }, this.breached);
    if (refusal?.code === 'password_policy') throw new CredentialsError('password_policy', `the password breaks: ${refusal.violations.join(', ')}`, { violations: refusal.violations });
    if (refusal) throw new CredentialsError('password_breached', 'the password is in a list of breached passwords');
    const citizenIndex = await this.store.saveIdentity({ fiscalCode: proof.fiscalCode, claims: proof.claims ?? {} });
    const username: Username = request.usernameKind === 'email' ? { kind: 'email', value: email } : { kind: 'fiscal_code', value: proof.fiscalCode };
    await this.store.setPassword(citizenIndex, username, await this.hasher.hash(request.password), this.codes.staleClaims());
    await this.store.setEmail(citizenIndex, email);
    const citizen = (await this.store.citizenByIndex(citizenIndex))!;
    return this.codes.send(citizen, 'confirm_contact', language);
  }

  /** The code from the mail: the contact is confirmed, and the password now signs in. */
  async confirm(proof: CardProof, codeId: string, code: string): Promise<void> {
    requireCardProof(proof);
    const citizenIndex = this.store.citizenIndex(proof.fiscalCode);
    await this.codes.check(citizenIndex, codeId, code, 'confirm_contact');
    await this.store.confirmEmail(citizenIndex);
  }

  /** The citizen withdraws the password (passkeys stay); from the account page, after a card sign-in. */
  async removePassword(proof: CardProof): Promise<void> {
    requireCardProof(proof);
    await this.store.removePassword(this.store.citizenIndex(proof.fiscalCode));
  }

  /** The citizen withdraws every credential: password, contact, passkeys, pending codes. */
  async removeAll(proof: CardProof): Promise<void> {
    requireCardProof(proof);
    await this.store.removeCitizen(this.store.citizenIndex(proof.fiscalCode));
  }
}
