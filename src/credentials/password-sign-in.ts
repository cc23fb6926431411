import type { StateStore } from '../storage/state-store.js';
import type { CitizenRecord, CredentialStore } from './credential-store.js';
import { attemptVerdict, DEFAULT_LOCKOUT_POLICY, delayAfter, type LockoutPolicy } from './lockout-policy.js';
import type { PasswordHasher } from './password-hasher.js';
import { MAX_PASSWORD_LENGTH } from './password-policy.js';
import { parseUsername } from './usernames.js';

export type PasswordOutcome =
  | { ok: true; citizen: CitizenRecord }
  | { ok: false; code: 'invalid_credentials' }
  | { ok: false; code: 'account_throttled'; retryAfterSeconds: number };

/**
 * The first factor: username and password. Every refusal of a well-formed username costs one scrypt
 * verification and is answered `invalid_credentials`, whether the username is unknown, its e-mail
 * is not yet confirmed or the password is wrong, and every such refusal counts against the username
 * (lockout-policy.ts), so neither the answer, nor its time, nor the throttling tells who has an
 * account. A success clears the count and moves the hash to today's cost.
 */
export class PasswordSignIn {
  constructor(
    private readonly store: CredentialStore,
    private readonly hasher: PasswordHasher,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
    private readonly now: () => number = Date.now,
    /**
     * Where a card sign-in leaves its recovery mark (one short-lived StateStore write per level-3
     * sign-in); without it the recovery clears the database's count at once, which costs every
     * card login a database round trip.
     */
    private readonly recoveries?: Pick<StateStore, 'put' | 'get'>,
  ) {}

  async attempt(usernameInput: string, password: string): Promise<PasswordOutcome> {
    // An over-long password is never hashed whole: no input sets the work done.
    const bounded = [...password].slice(0, MAX_PASSWORD_LENGTH + 1).join('');
    const username = parseUsername(usernameInput);
    if (!username) {
      await this.hasher.verifyAgainstNothing(bounded);
      return { ok: false, code: 'invalid_credentials' };
    }
    const usernameIndex = this.store.usernameIndex(username);
    const counted = await this.store.failures(usernameIndex);
    // A card sign-in after the last failure starts the count again from zero (only looked at when there is a count).
    const failures = counted && (await this.recoveredByCard(username, usernameIndex, counted.lastFailureAt)) ? undefined : counted;
    const verdict = attemptVerdict(failures, this.now(), this.policy);
    if (!verdict.allowed) return { ok: false, code: 'account_throttled', retryAfterSeconds: verdict.retryAfterSeconds };

    const record = await this.store.passwordFor(username);
    const usable = record && record.citizen.emailConfirmed && bounded === password;
    const check = usable ? await this.hasher.verify(password, record.passwordHash) : { valid: await this.hasher.verifyAgainstNothing(bounded), needsRehash: false };
    if (!record || !usable || !check.valid) {
      const now = this.now();
      await this.store.countFailure(usernameIndex, now, now - this.policy.forgetAfterSeconds * 1000, (failures) => now + delayAfter(failures, this.policy) * 1000);
      return { ok: false, code: 'invalid_credentials' };
    }
    await this.store.clearFailures(usernameIndex);
    if (check.needsRehash) await this.store.replacePasswordHash(record.citizen.citizenIndex, record.passwordHash, await this.hasher.hash(password));
    return { ok: true, citizen: record.citizen };
  }

  /**
   * A level-3 (card) sign-in is the recovery: the citizen's password attempts start again from zero.
   * With a recovery store it only leaves a mark, read when a username with failures counted tries
   * again (`recoveredByCard`): card logins far outnumber lockouts, and must not wait on the database.
   */
  async recoverAfterCardSignIn(fiscalCode: string): Promise<void> {
    const citizenIndex = this.store.citizenIndex(fiscalCode);
    if (this.recoveries) {
      await this.recoveries.put(recoveryKey(citizenIndex), { at: this.now() }, this.policy.forgetAfterSeconds);
      return;
    }
    const usernameIndex = await this.store.usernameIndexOf(citizenIndex);
    if (usernameIndex) await this.store.clearFailures(usernameIndex);
  }

  /** True (and the count cleared) when the username's citizen signed in with the card after its last failure. */
  private async recoveredByCard(username: Parameters<CredentialStore['passwordFor']>[0], usernameIndex: string, lastFailureAt: number): Promise<boolean> {
    if (!this.recoveries) return false;
    const record = await this.store.passwordFor(username);
    const mark = record ? await this.recoveries.get<{ at: number }>(recoveryKey(record.citizen.citizenIndex)) : undefined;
    if (!mark || mark.at <= lastFailureAt) return false;
    await this.store.clearFailures(usernameIndex);
    return true;
  }
}

function recoveryKey(citizenIndex: string): string {
  return `card-recovery:${citizenIndex}`;
}
