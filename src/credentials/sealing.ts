import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialsKeys } from './credentials-keys.js';
import { CredentialsError } from './credentials-error.js';

/**
 * AES-256-GCM of a JSON value, `<key id>.<base64url of IV ‖ ciphertext ‖ tag>`, bound by its associated data to
 * the citizen and the field: a sealed e-mail copied to another row or column does not open.
 */
export function seal(keys: CredentialsKeys, value: unknown, associatedData: string): string {
  const { kid, key } = keys.sealing[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `${kid}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

export function open<T>(keys: CredentialsKeys, text: string, associatedData: string): T {
  const [kid = '', sealed = ''] = text.split('.');
  const key = keys.sealing.find((candidate) => candidate.kid === kid)?.key;
  if (!key) throw new CredentialsError('credentials_keys', `no sealing key ${kid}`);
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8')) as T;
}
