import type { Language } from '../../../shared/language.js';
import { bridgeErrorText } from '../../bridge-error-text.js';
import { EIGHT_DIGITS, newPinProblem } from '../../new-pin-policy.js';

/** Messages by form field ("current", "puk", "next", "again", "card", "confirm_last"). */
export type FieldErrors = Record<string, string>;

/** The new PIN typed twice, checked by the same rule as the CLI before anything reaches the card. */
export function newPinErrors(language: Language, next: string, again: string): FieldErrors {
  const problem = newPinProblem(next, again);
  if (!problem) return {};
  return { [problem === 'new_pins_differ' ? 'again' : 'next']: bridgeErrorText(problem, language) };
}

/** A code field (current PIN, PUK) that must be 8 digits, else the table's words for `code`. */
export function codeErrors(field: string, value: string, code: 'invalid_pin_format' | 'invalid_puk_format', language: Language): FieldErrors {
  return EIGHT_DIGITS.test(value) ? {} : { [field]: bridgeErrorText(code, language) };
}
