/**
 * The official "Software CIE" (MW-Win `CIEID/MainForm.cs`) refuses a new PIN made of one repeated digit or of
 * a run of consecutive digits, ascending or descending (CIE 3.0 chip specification: PIN and PUK — docs/references.md). It is a client rule, not a card rule.
 */
export function isWeakPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((digit, index) => digit - digits[index]!);
  return [0, 1, -1].some((step) => steps.every((s) => s === step));
}

export const EIGHT_DIGITS = /^[0-9]{8}$/;

export type NewPinProblem = 'invalid_new_pin_format' | 'weak_pin' | 'new_pins_differ';

/** What is wrong with a new PIN typed twice, checked before anything reaches the card. */
export function newPinProblem(next: string, again: string): NewPinProblem | undefined {
  if (!EIGHT_DIGITS.test(next)) return 'invalid_new_pin_format';
  if (isWeakPin(next)) return 'weak_pin';
  if (next !== again) return 'new_pins_differ';
  return undefined;
}
