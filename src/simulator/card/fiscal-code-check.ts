/**
 * The codice fiscale of a natural person as the Agenzia delle Entrate defines it (DM 23 dicembre 1976,
 * the check character's tables in its annex): written here for `cie-card issue`, independently of the
 * provider's decoder (src/cie/identity), as the card side is throughout.
 */

const STRUCTURE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
/** Value of a character in an odd position (1st, 3rd, … 15th): the annex's table, a digit counting as A…J. */
const ODD_TABLE: Record<string, number> = {
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};
function oddValue(char: string): number {
  return ODD_TABLE[char >= '0' && char <= '9' ? String.fromCharCode(65 + char.charCodeAt(0) - 48) : char]!;
}
/** Value in an even position: digits 0–9, letters A=0 … Z=25. */
function evenValue(char: string): number {
  return char >= '0' && char <= '9' ? char.charCodeAt(0) - 48 : char.charCodeAt(0) - 65;
}
/** Omocodia: a digit replaced by one of these letters when two people would share a code. */
const OMOCODIA = 'LMNPQRSTUV';
const MONTHS = 'ABCDEHLMPRST';

export type FiscalCodeProblem = 'structure' | 'check_character' | 'birth_date';

/** The check character (16th) the first 15 characters call for. */
export function fiscalCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (const [index, char] of [...first15].entries()) sum += index % 2 === 0 ? oddValue(char) : evenValue(char);
  return String.fromCharCode(65 + (sum % 26));
}

/**
 * What is wrong with `code` for a holder born on `birthDate` (YYYY-MM-DD), or undefined: the structure,
 * the check character, then the birth date (two-digit year, month letter, day; women's day + 40).
 */
export function fiscalCodeProblem(code: string, birthDate: string): FiscalCodeProblem | undefined {
  if (!STRUCTURE.test(code)) return 'structure';
  if (fiscalCodeCheckCharacter(code.slice(0, 15)) !== code[15]) return 'check_character';
  const digit = (char: string) => (OMOCODIA.includes(char) ? String(OMOCODIA.indexOf(char)) : char);
  const plain = [...code].map((char, index) => ([6, 7, 9, 10].includes(index) ? digit(char) : char)).join('');
  const [year, month, day] = birthDate.split('-');
  const codedDay = Number(plain.slice(9, 11));
  const sameDate = plain.slice(6, 8) === year?.slice(2) && MONTHS.indexOf(plain[8]!) + 1 === Number(month) && (codedDay === Number(day) || codedDay === Number(day) + 40);
  return sameDate ? undefined : 'birth_date';
}
