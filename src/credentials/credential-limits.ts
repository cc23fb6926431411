import type { StateStore } from '../storage/state-store.js';
import { FixedWindowLimiter, type RateLimit } from '../storage/state/rate-limiter.js';
import type { WindowVerdict } from '../storage/state/fixed-window.js';

/**
 * Limits beside the per-username lockout (lockout-policy.ts), counted in the StateStore so every
 * instance sees the same counts:
 * - password attempts per client network (an IPv4 address, an IPv6 /64: sign-in/client-network.ts),
 *   so one client cannot spray guesses across many usernames, each under its own lockout;
 * - one-time-code mails per citizen, so nobody can bomb a citizen's mailbox through the form;
 * - passkey ceremonies per client network (each stores a challenge).
 * Limits above what a household does in normal use; 0 turns one off.
 */
export interface CredentialLimitSettings {
  passwordAttemptsPerNetwork: number;
  codeMailsPerCitizen: number;
  passkeyCeremoniesPerNetwork: number;
  windowSeconds: number;
}

export const DEFAULT_CREDENTIAL_LIMITS: CredentialLimitSettings = { passwordAttemptsPerNetwork: 30, codeMailsPerCitizen: 5, passkeyCeremoniesPerNetwork: 60, windowSeconds: 600 };

export class CredentialLimits {
  readonly #passwords: FixedWindowLimiter;
  readonly #mails: FixedWindowLimiter;
  readonly #ceremonies: FixedWindowLimiter;

  constructor(store: Pick<StateStore, 'increment' | 'get'>, settings: CredentialLimitSettings = DEFAULT_CREDENTIAL_LIMITS, now: () => number = Date.now) {
    const rule = (name: string, limit: number): RateLimit => ({ name, limit, windowSeconds: settings.windowSeconds });
    this.#passwords = new FixedWindowLimiter(store, rule('password-network', settings.passwordAttemptsPerNetwork), now);
    this.#mails = new FixedWindowLimiter(store, rule('code-mails', settings.codeMailsPerCitizen), now);
    this.#ceremonies = new FixedWindowLimiter(store, rule('passkey-network', settings.passkeyCeremoniesPerNetwork), now);
  }

  /** Counts one password attempt from `network` (before any hashing: a refused attempt costs no scrypt). */
  passwordAttempt(network: string): Promise<WindowVerdict> {
    return this.#passwords.hit(network);
  }

  /** Counts one code mail to the citizen (by citizen index: the counter's key names nobody). */
  codeMail(citizenIndex: string): Promise<WindowVerdict> {
    return this.#mails.hit(citizenIndex);
  }

  passkeyCeremony(network: string): Promise<WindowVerdict> {
    return this.#ceremonies.hit(network);
  }
}
