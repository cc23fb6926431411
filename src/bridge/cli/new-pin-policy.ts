/**
 * The official "Software CIE" (MW-Win `CIEID/MainForm.cs`) refuses a new PIN made of one repeated digit or of
 * a run of consecutive digits, ascending or descending (cie-card-protocol.md §3). It is a client rule, not a card rule.
 */
export function isWeakPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((digit, index) => digit - digits[index]!);
  return [0, 1, -1].some((step) => steps.every((s) => s === step));
}
