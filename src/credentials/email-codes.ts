import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Mailer } from '../mail/mailer.js';
import type { Language } from '../shared/language.js';
import { codeMail } from './code-mail.js';
import { indexOf, type CredentialsKeys } from './credentials-keys.js';
import { CredentialsError } from './credentials-error.js';
import type { CitizenRecord, CodePurpose, CredentialStore, StaleClaims } from './credential-store.js';

/**
 * One-time codes by e-mail: to confirm the contact address, and as a second factor the operator may
 * turn off (a mailbox is a weaker factor than a passkey or the app: docs/levels.md).
 */
export interface EmailCodePolicy {
  digits: number;
  ttlSeconds: number;
  /** Wrong tries on one code before it is spent (a new mail is needed). */
  maxAttempts: number;
  /** Whether a code by e-mail may serve as the second factor of a level-2 sign-in. */
  secondFactorEnabled: boolean;
}

// 6 digits, 10 minutes, 5 tries: a guesser's chance per code is 5 in a million.
export const DEFAULT_EMAIL_CODE_POLICY: EmailCodePolicy = { digits: 6, ttlSeconds: 600, maxAttempts: 5, secondFactorEnabled: true };

export class EmailCodes {
  constructor(
    private readonly store: CredentialStore,
    private readonly keys: CredentialsKeys,
    private readonly mailer: Mailer,
    readonly policy: EmailCodePolicy = DEFAULT_EMAIL_CODE_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Mails a fresh code to the citizen's contact address; returns its id (for the form that takes it back). */
  async send(citizen: CitizenRecord, purpose: CodePurpose, language: Language): Promise<string> {
    if (!citizen.email) throw new CredentialsError('no_identity', 'the citizen has no e-mail contact');
    if (purpose === 'second_factor' && (!this.policy.secondFactorEnabled || !citizen.emailConfirmed)) {
      throw new CredentialsError('code_invalid', 'e-mail codes are not a second factor here (turned off, or the address is unconfirmed)');
    }
    const code = randomInt(0, 10 ** this.policy.digits).toString().padStart(this.policy.digits, '0');
    const codeId = randomBytes(16).toString('base64url');
    await this.store.putCode({ codeId, citizenIndex: citizen.citizenIndex, purpose, codeHash: this.#hash(codeId, code), expiresAt: new Date(this.now() + this.policy.ttlSeconds * 1000) });
    await this.mailer.send({ to: citizen.email, ...codeMail(purpose, code, Math.round(this.policy.ttlSeconds / 60), language) });
    return codeId;
  }

  /**
   * Checks a typed code; the right one is spent at once. A wrong one counts, and the last allowed
   * wrong one spends it too. Throws `code_invalid`, `code_expired` or `code_attempts_exhausted`.
   */
  async check(citizenIndex: string, codeId: string, typed: string, purpose: CodePurpose): Promise<void> {
    if (!/^[A-Za-z0-9_-]{22}$/.test(codeId)) throw new CredentialsError('code_invalid', 'unknown code');
    const stored = await this.store.attemptCode(codeId, citizenIndex, purpose);
    if (!stored) throw new CredentialsError('code_invalid', 'unknown or spent code');
    if (stored.expiresAt.getTime() <= this.now()) {
      await this.store.deleteCode(codeId);
      throw new CredentialsError('code_expired', 'the code has expired');
    }
    if (stored.attempts >= this.policy.maxAttempts) {
      await this.store.deleteCode(codeId);
      throw new CredentialsError('code_attempts_exhausted', 'too many wrong codes');
    }
    const normalized = typed.replace(/\s/g, '');
    const expected = Buffer.from(stored.codeHash);
    const given = Buffer.from(this.#hash(codeId, /^\d{1,12}$/.test(normalized) ? normalized : ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      // Of two concurrent right answers only the one that deletes the code counts.
      if (!(await this.store.deleteCode(codeId))) throw new CredentialsError('code_invalid', 'the code was already used');
      return;
    }
    if (stored.attempts + 1 >= this.policy.maxAttempts) await this.store.deleteCode(codeId);
    throw new CredentialsError('code_invalid', 'wrong code', { attemptsLeft: Math.max(0, this.policy.maxAttempts - stored.attempts - 1) });
  }

  /**
   * On this clock, which unconfirmed activations no longer hold their username: those whose code
   * has expired, made more than a code's lifetime ago. So a squatter's claim lapses within one
   * lifetime, and a citizen still typing the code is never robbed of it.
   */
  staleClaims(): StaleClaims {
    const now = this.now();
    return { now: new Date(now), madeBefore: new Date(now - this.policy.ttlSeconds * 1000) };
  }

  #hash(codeId: string, code: string): string {
    return indexOf(this.keys, 'code', `${codeId}:${code}`);
  }
}
