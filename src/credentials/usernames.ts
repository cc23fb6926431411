/** A username as typed, normalised: a fiscal code (upper case) or an e-mail address (lower case). */
export interface Username {
  kind: 'fiscal_code' | 'email';
  value: string;
}

const FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const MAX_EMAIL_LENGTH = 254;

export function isFiscalCode(value: string): boolean {
  return FISCAL_CODE.test(value);
}

/**
 * An e-mail address of a plain shape (one @, no spaces, angle brackets or colon, a dot in the domain), in NFC
 * (RFC 6532 §3.1) and lower-cased: an address typed composed or decomposed is one username and one contact.
 */
export function normalizeEmail(input: string): string | undefined {
  const value = input.trim().toLowerCase().normalize('NFC');
  if (value.length > MAX_EMAIL_LENGTH) return undefined;
  // No colon either: the mailer reads "x:victim@other.org" as a group and mails victim@other.org, not the address stored.
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(value) ? value : undefined;
}

/** What the sign-in form's username field names, or undefined when it can name nobody. */
export function parseUsername(input: string): Username | undefined {
  const trimmed = input.trim();
  if (trimmed.length > MAX_EMAIL_LENGTH) return undefined;
  const upper = trimmed.toUpperCase();
  if (isFiscalCode(upper)) return { kind: 'fiscal_code', value: upper };
  const email = normalizeEmail(trimmed);
  return email ? { kind: 'email', value: email } : undefined;
}
