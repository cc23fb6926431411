import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Long enough to type a PUK and two PINs slowly; short enough that a stolen page is soon useless. */
const LIFETIME_MS = 30 * 60 * 1000;

/**
 * CSRF tokens for the card pages (PIN change, unblock): an HMAC of the form's purpose and the time it
 * was served, under a key that lives only in this process. Nothing is stored, so pages loaded by other
 * sites cannot fill a table or push out the citizen's form; those pages cannot read our answers, so
 * they never learn a token. The Origin check on every POST is the first line; this is the second.
 */
export class FormTokens {
  readonly #key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  issue(purpose: string): string {
    const issuedAt = this.now().toString(36);
    return `${issuedAt}.${this.#mac(purpose, issuedAt)}`;
  }

  valid(purpose: string, token: string): boolean {
    const [issuedAt, mac, ...rest] = token.split('.');
    if (!issuedAt || !mac || rest.length > 0 || !/^[0-9a-z]{1,12}$/.test(issuedAt)) return false;
    const age = this.now() - parseInt(issuedAt, 36);
    if (age < 0 || age > LIFETIME_MS) return false;
    const expected = Buffer.from(this.#mac(purpose, issuedAt));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #mac(purpose: string, issuedAt: string): string {
    return createHmac('sha256', this.#key).update(`${purpose}\n${issuedAt}`).digest('base64url');
  }
}
