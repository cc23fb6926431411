import { AssertionError } from '../verify/assertion-error.js';

export interface DecodedFiscalCode {
  /** The 16 characters as given (omocodia letters kept: they are part of the code). */
  code: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: 'female' | 'male';
  /** Belfiore cadastral code with omocodia undone, e.g. H501; Zxxx for births abroad. */
  placeOfBirth: string;
}

const SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
// Positions that hold digits, where homonymy ("omocodia") may replace them with letters.
const NUMERIC_POSITIONS = [6, 7, 9, 10, 12, 13, 14];
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
const MONTH_LETTERS = 'ABCDEHLMPRST';
// Check-character weights of characters in odd (1st, 3rd, …) positions; digits weigh like A..J.
const ODD_WEIGHTS = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function invalid(reason: string): AssertionError {
  return new AssertionError('invalid_fiscal_code', `fiscal code ${reason}`);
}

/** 0..25 for A..Z and 0..9 for digits: the index used by both check-character tables. */
function ordinal(char: string): number {
  return /[0-9]/.test(char) ? Number(char) : char.charCodeAt(0) - 65;
}

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const value = ordinal(first15[i]!);
    sum += i % 2 === 0 ? ODD_WEIGHTS[value]! : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

function withoutOmocodia(code: string): string {
  const chars = [...code];
  for (const position of NUMERIC_POSITIONS) {
    const index = OMOCODIA_LETTERS.indexOf(chars[position]!);
    if (index >= 0) chars[position] = String(index);
  }
  return chars.join('');
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * Decodes a natural person's codice fiscale (DM 23/12/1976). The code gives only two year digits:
 * the century chosen is the one that puts the birth date at the latest moment not after `now`.
 */
export function decodeFiscalCode(cf: string, now: Date = new Date()): DecodedFiscalCode {
  const code = cf.toUpperCase();
  if (!SHAPE.test(code)) throw invalid('has not the structure of a natural person code');
  if (checkCharacter(code.slice(0, 15)) !== code[15]) throw invalid('check character is wrong');
  const plain = withoutOmocodia(code);
  const yy = Number(plain.slice(6, 8));
  const month = MONTH_LETTERS.indexOf(plain[8]!) + 1;
  const dayField = Number(plain.slice(9, 11));
  const gender = dayField > 40 ? 'female' : 'male';
  const day = dayField > 40 ? dayField - 40 : dayField;
  const today = now.toISOString().slice(0, 10);
  const thisCentury = Math.floor(now.getUTCFullYear() / 100) * 100;
  const candidates = [thisCentury + yy, thisCentury - 100 + yy].map((year) => isoDate(year, month, day));
  const birthDate = candidates.find((date) => date !== undefined && date <= today);
  if (!birthDate) throw invalid('has no valid birth date');
  return { code, birthDate, gender, placeOfBirth: plain.slice(11, 15) };
}
