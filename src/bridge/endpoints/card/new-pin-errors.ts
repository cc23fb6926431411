import type { BridgeMessages } from '../../messages.js';
import { EIGHT_DIGITS, newPinProblem } from '../../new-pin-policy.js';

/** Messages by form field ("current", "puk", "next", "again", "card", "confirm_last"). */
export type FieldErrors = Record<string, string>;

/** The new PIN typed twice, checked by the same rule as the CLI before anything reaches the card. */
export function newPinErrors(m: BridgeMessages, next: string, again: string): FieldErrors {
  switch (newPinProblem(next, again)) {
    case 'invalid_new_pin_format':
      return { next: m.invalidNewPinFormat };
    case 'weak_pin':
      return { next: m.weakPin };
    case 'new_pins_differ':
      return { again: m.newPinsDiffer };
    default:
      return {};
  }
}

/** A code field (current PIN, PUK) that must be 8 digits. */
export function codeErrors(field: string, value: string, message: string): FieldErrors {
  return EIGHT_DIGITS.test(value) ? {} : { [field]: message };
}
