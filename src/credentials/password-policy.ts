/**
 * The password rules. The real service ("Attiva le tue credenziali" on cartaidentita.interno.gov.it,
 * as public guides of Italian municipalities quote it) asks for at least 10 characters with an
 * upper-case letter and a digit (the quoted list continues beyond what the guides show). This
 * product keeps those and is stricter where it is cheap and helps (docs/levels.md): a lower-case
 * letter too, not the citizen's own fiscal code or e-mail name, not a well-known password, an
 * upper bound so no input sets the hashing work, and (when the operator turns a source on) not a
 * password of a past breach (breached-passwords.ts).
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordRule = 'too_short' | 'too_long' | 'no_upper_case' | 'no_lower_case' | 'no_digit' | 'contains_identity' | 'well_known';

/** What the password must not contain: the citizen's own identifiers. */
export interface PasswordContext {
  fiscalCode?: string;
  email?: string;
}

// Passwords that satisfy the composition rules and top every leaked-password list's long entries.
const WELL_KNOWN = new Set(['password123', 'password1234', 'passw0rd123', 'qwerty12345', 'qwertyuiop1', 'abcdefghi1', 'abcdefgh12', 'password2024', 'password2025', 'password2026', 'benvenuto1', 'benvenuto123', 'cartaidentita1', 'iloveyou123', 'welcome1234', 'changeme123', 'trustno1234', 'juventus123']);

/** NFKC, as NIST SP 800-63B §5.1.1.2 advises, so the same password typed on two keyboards hashes the same. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** The rules `password` breaks (empty: acceptable). Counted in code points, not UTF-16 units. */
export function passwordViolations(password: string, context: PasswordContext = {}): PasswordRule[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const broken: PasswordRule[] = [];
  if (length < MIN_PASSWORD_LENGTH) broken.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) broken.push('too_long');
  if (!/\p{Lu}/u.test(normalized)) broken.push('no_upper_case');
  if (!/\p{Ll}/u.test(normalized)) broken.push('no_lower_case');
  if (!/\p{Nd}/u.test(normalized)) broken.push('no_digit');
  const lower = normalized.toLowerCase();
  const identities = [context.fiscalCode, context.email?.split('@')[0]].filter((value): value is string => Boolean(value && value.length >= 4));
  if (identities.some((identity) => lower.includes(identity.toLowerCase()))) broken.push('contains_identity');
  if (WELL_KNOWN.has(lower)) broken.push('well_known');
  return broken;
}

/** A list of breached passwords (breached-passwords.ts): true when it knows the password; never throws. */
export interface BreachedPasswordCheck {
  isBreached(password: string): Promise<boolean>;
  /** False when no list is turned on (the account page then does not announce the check); absent: on. */
  readonly enabled?: boolean;
}

/** Why a password being chosen is refused: the rules it breaks, or a list of breached passwords knows it. */
export type NewPasswordRefusal = { code: 'password_policy'; violations: PasswordRule[] } | { code: 'password_breached' };

/**
 * The whole policy for a password being chosen (activation, change); never at sign-in, where the
 * password is only verified. The rules first, synchronously; the breached-password look-up only once
 * they pass (no look-up, and nothing sent anywhere, for a password refused anyway). Undefined: accepted.
 */
export async function newPasswordRefusal(password: string, context: PasswordContext = {}, breached?: BreachedPasswordCheck): Promise<NewPasswordRefusal | undefined> {
  const violations = passwordViolations(password, context);
  if (violations.length > 0) return { code: 'password_policy', violations };
  if (breached && (await breached.isBreached(password))) return { code: 'password_breached' };
  return undefined;
}
