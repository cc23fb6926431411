import type { Mailer } from '../mail/mailer.js';
import { MailError } from '../mail/mail-error.js';
import type { Language } from '../shared/language.js';
import { loggerFor } from '../shared/logger.js';
import { requireCardProof, type CardProof } from './card-proof.js';
import { contactChangedMail } from './contact-changed-mail.js';
import { CredentialsError } from './credentials-error.js';
import type { CitizenRecord, CredentialStore } from './credential-store.js';
import type { EmailCodes } from './email-codes.js';
import { normalizeEmail } from './usernames.js';

/**
 * Changing the e-mail contact of active credentials, always behind a card sign-in. The new address
 * waits, unconfirmed, beside the confirmed one, which stays the contact (second-factor codes still go
 * there) until the code mailed to the new address comes back: a typo locks nobody out. On
 * confirmation the new address becomes the contact (an e-mail username moves with it), codes mailed
 * to the old one stop counting, and the old address gets a notice.
 */
export class ContactChange {
  constructor(
    private readonly store: CredentialStore,
    private readonly codes: Pick<EmailCodes, 'send' | 'check' | 'staleClaims'>,
    private readonly mailer: Mailer,
  ) {}

  /** The citizen's active credentials (a password and a confirmed contact), or `no_identity`. */
  async activeCitizen(proof: CardProof): Promise<CitizenRecord> {
    requireCardProof(proof);
    const citizen = await this.store.citizen(proof.fiscalCode);
    if (!citizen?.email || !citizen.emailConfirmed || !(await this.store.usernameIndexOf(citizen.citizenIndex))) throw new CredentialsError('no_identity', 'no active credentials');
    return citizen;
  }

  /**
   * Mails a code to the new address and keeps it pending; returns the code's id. An e-mail username
   * would move to the new address: one another citizen has is refused now (`username_taken`), before
   * any mail (the database checks again at confirmation). An unconfirmed activation's claim on it
   * counts only while its code lives (credential-store.ts releaseStaleClaim).
   */
  async request(proof: CardProof, input: string, language: Language): Promise<string> {
    const citizen = await this.activeCitizen(proof);
    const email = normalizeEmail(input);
    if (!email) throw new CredentialsError('invalid_email', 'not an e-mail address');
    const usernameIsEmail = (await this.store.usernameIndexOf(citizen.citizenIndex)) === this.store.usernameIndex({ kind: 'email', value: citizen.email! });
    if (usernameIsEmail && email !== citizen.email && (await this.store.usernameHeld({ kind: 'email', value: email }, citizen.citizenIndex, this.codes.staleClaims()))) throw new CredentialsError('username_taken', 'another citizen has this address as username');
    const codeId = await this.codes.send({ ...citizen, email }, 'confirm_contact', language);
    await this.store.setPendingEmail(citizen.citizenIndex, { email, codeId });
    return codeId;
  }

  /** The code from the new address: it becomes the contact. Returns the new address. */
  async confirm(proof: CardProof, codeId: string, code: string, language: Language): Promise<string> {
    requireCardProof(proof);
    const citizenIndex = this.store.citizenIndex(proof.fiscalCode);
    await this.codes.check(citizenIndex, codeId, code, 'confirm_contact');
    const changed = await this.store.confirmPendingEmail(citizenIndex, codeId, this.codes.staleClaims());
    if (!changed) throw new CredentialsError('code_invalid', 'no contact change waits under this code');
    await this.#warnOldAddress(changed.oldEmail, changed.newEmail, language);
    return changed.newEmail;
  }

  /** The change is done: a mail server that is down does not undo it (the page shows the new address). */
  async #warnOldAddress(oldEmail: string, newEmail: string, language: Language): Promise<void> {
    if (oldEmail === newEmail) return;
    try {
      await this.mailer.send({ to: oldEmail, ...contactChangedMail(newEmail, language) });
    } catch (error) {
      if (!(error instanceof MailError)) throw error;
      loggerFor('credentials').warn({ event: 'contact_change_notice_unsent', error_code: error.code });
    }
  }
}
