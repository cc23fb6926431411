import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { RegistryError } from './registry-error.js';
import type { RegistryKeys } from './registry-keys.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The personal data of one record, AES-256-GCM under the current key: base64url(iv ‖ ciphertext ‖ tag). */
export function seal(keys: RegistryKeys, data: object, associated: string): { sealed: string; keyId: string } {
  const { kid, key } = keys.encryption[0]!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // Bound to its record's place (kind, subject): a sealed blob moved to another record does not open.
  cipher.setAAD(Buffer.from(associated));
  const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url'), keyId: kid };
}

export function unseal(keys: RegistryKeys, sealed: string, keyId: string, associated: string): Record<string, unknown> {
  const entry = keys.encryption.find((candidate) => candidate.kid === keyId);
  if (!entry) throw new RegistryError('registry_sealed', `no registry key ${keyId} to open a record (add the old key to registry-keys.json)`);
  const bytes = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', entry.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new RegistryError('registry_sealed', 'a sealed record does not open (altered, or sealed for another place)', {}, { cause: error });
  }
}

/** The citizen index: HMAC-SHA-256 of the account id, so a citizen's records are found without opening any. */
export function subjectIndex(keys: RegistryKeys, accountId: string): string {
  return createHmac('sha256', keys.index).update(accountId).digest('base64url');
}

/** Secrets (tokens, codes, assertions, request objects' signatures) are kept only as this. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
