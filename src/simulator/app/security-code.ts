import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { CodedError } from '../../shared/coded-error.js';

export type AppKeyErrorCode = 'security_code_invalid' | 'wrong_security_code' | 'security_code_locked' | 'not_certified' | 'keystore_unreadable';
/** The app's own refusals, before anything is sent: the security code and the local key store. */
export class AppKeyError extends CodedError<AppKeyErrorCode> {}

/**
 * The app's security code ("codice di sicurezza"), our choice: 6 to 12 digits, not one digit repeated and
 * not a run like 123456 / 654321 (the first codes a stranger tries). It unlocks the device key in the app
 * and never leaves it: not sent, not logged, not stored.
 */
export function checkSecurityCode(code: string): void {
  if (!/^[0-9]{6,12}$/.test(code)) throw new AppKeyError('security_code_invalid', 'the security code is 6 to 12 digits');
  const steps = new Set([...code].slice(1).map((digit, i) => (Number(digit) - Number(code[i]) + 10) % 10));
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0]!)) throw new AppKeyError('security_code_invalid', 'the security code is too easy to guess');
}

/** scrypt's cost for the code's key: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s here): each guess of a copied file costs that. */
export const CODE_KDF = { logN: 15, r: 8, p: 1 } as const;

/** A secret sealed under the security code: scrypt(code, salt) → AES-256-GCM key; the record's identity is the additional data. */
export interface SealedSecret {
  kdf: 'scrypt';
  logN: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

function keyFromCode(code: string, salt: Buffer, cost: { logN: number; r: number; p: number }): Promise<Buffer> {
  const N = 2 ** cost.logN;
  return new Promise((resolve, reject) => {
    scrypt(code, salt, 32, { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function sealWithCode(secret: Uint8Array, code: string, additionalData: string): Promise<SealedSecret> {
  checkSecurityCode(code);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await keyFromCode(code, salt, CODE_KDF), iv);
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return { kdf: 'scrypt', ...CODE_KDF, salt: salt.toString('base64url'), iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
}

/** The sealed secret, or `wrong_security_code` (GCM's tag fails: a wrong code, or a record moved to another identity). */
export async function openWithCode(sealed: SealedSecret, code: string, additionalData: string): Promise<Buffer> {
  // The file is the app's own, but its cost is still bounded: a tampered logN must not make the app hash for minutes.
  if (sealed.kdf !== 'scrypt' || !(sealed.logN >= 14 && sealed.logN <= 18) || sealed.r !== 8 || sealed.p !== 1) throw new AppKeyError('keystore_unreadable', 'unexpected key derivation parameters');
  const decipher = createDecipheriv('aes-256-gcm', await keyFromCode(code, Buffer.from(sealed.salt, 'base64url'), sealed), Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new AppKeyError('wrong_security_code', 'wrong security code');
  }
}
