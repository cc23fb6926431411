import { CodedError } from '../../shared/coded-error.js';

/** The citizen's pick is not one of the numbers the app shows. */
export class NumberChoiceError extends CodedError<'number_not_offered'> {}

/** The three numbers a push shows (10–99, distinct), or undefined when the answer's list is not that. */
export function offeredNumbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  if (!value.every((n) => Number.isInteger(n) && n >= 10 && n <= 99)) return undefined;
  return new Set(value).size === 3 ? (value as number[]) : undefined;
}

/**
 * Number matching: the browser shows one number, the app shows three and the citizen picks the one the
 * browser shows. The app cannot tell which is right (only the provider knows); it only refuses a pick that
 * is not on its screen, so a typo is never sent as a guess.
 */
export function pickNumber(offered: readonly number[], picked: string | number): number {
  const number = typeof picked === 'number' ? picked : Number(picked.trim());
  if (!offered.includes(number)) throw new NumberChoiceError('number_not_offered', `pick one of ${offered.join(', ')}`);
  return number;
}
