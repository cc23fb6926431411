import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits as base64url (43 characters): session ids, QR nonces, app tokens, hand-back codes. */
export function randomHandle(): string {
  return randomBytes(32).toString('base64url');
}

export function isHandle(text: unknown): text is string {
  return typeof text === 'string' && /^[A-Za-z0-9_-]{43}$/.test(text);
}

// Crockford's base32 without I, L, O, U: nothing a citizen can misread when typing it from a screen.
const TYPED_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TYPED_LENGTH = 8;

/** The short code typed into the app when the camera cannot read the QR: 8 characters, 40 bits, shown as XXXX-XXXX. */
export function typedCode(): string {
  let code = '';
  for (let i = 0; i < TYPED_LENGTH; i++) code += TYPED_ALPHABET[randomInt(TYPED_ALPHABET.length)];
  return code;
}

/** What the citizen typed, in the stored form (case, spaces, dashes and look-alike letters forgiven), or undefined. */
export function normaliseTypedCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === TYPED_LENGTH && [...code].every((c) => TYPED_ALPHABET.includes(c)) ? code : undefined;
}

export function displayTypedCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Stored in place of a secret the client keeps (desktop cookie, app token, OTP): a store dump reveals none. */
export function digestOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('base64url');
}

/** Constant-time comparison of two digests made by `digestOf`. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
