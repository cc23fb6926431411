import { asciiBytes } from './bytes.js';
import { CardError } from './card-error.js';
import { SW, formatSw, triesLeft } from './status-word.js';

export type SecretKind = 'pin' | 'puk';

const EIGHT_DIGITS = /^[0-9]{8}$/;

/** PIN and PUK are exactly 8 ASCII digits, sent without padding. Checked before anything reaches the card. */
export function encodeSecret(secret: string, kind: SecretKind): Uint8Array {
  if (!EIGHT_DIGITS.test(secret)) {
    throw new CardError('invalid_pin_format', `the ${kind.toUpperCase()} must be exactly 8 digits`);
  }
  return asciiBytes(secret);
}

/**
 * Maps the (inner) status word of VERIFY / CHANGE REFERENCE DATA as the middleware does: 63Cx wrong with x tries
 * left (63C0 = now blocked), 6983 blocked, 6300/6700 wrong with tries unknown, anything else a card error.
 */
export function checkSecretStatus(sw: number, kind: SecretKind): void {
  if (sw === SW.success) return;
  const wrong = kind === 'pin' ? 'wrong_pin' : 'wrong_puk';
  const blocked = kind === 'pin' ? 'pin_blocked' : 'puk_blocked';
  const label = kind.toUpperCase();
  const tries = triesLeft(sw);
  const details = { sw: formatSw(sw) };
  if (tries === 0 || sw === SW.authenticationBlocked) throw new CardError(blocked, `${label} blocked`, details);
  if (tries !== undefined) throw new CardError(wrong, `wrong ${label}, ${tries} tries left`, { ...details, triesLeft: tries });
  if (sw === SW.verificationFailed || sw === SW.wrongLength) throw new CardError(wrong, `wrong ${label}`, details);
  throw new CardError('card_error', `${label} check failed with ${formatSw(sw)}`, details);
}
