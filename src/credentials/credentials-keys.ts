import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readOrCreateKeyFile } from '../shared/key-file.js';
import { CredentialsError } from './credentials-error.js';

export const CREDENTIALS_KEYS_FILE = 'credentials-keys.json';

/**
 * The credentials' keys, kept apart from the database (KEYS_DIR, mode 0600), as the access registry
 * keeps its own: `index` (HMAC of fiscal codes, usernames and one-time codes; never rotated, a new one
 * would hide every citizen), `sealing` (AES-256-GCM of identities and e-mail contacts: the first seals,
 * all open).
 */
export interface CredentialsKeys {
  index: Buffer;
  sealing: { kid: string; key: Buffer }[];
}

interface KeyFile {
  index: string;
  sealing: { kid: string; key: string }[];
}

export function sealingKeyId(key: Buffer): string {
  return `c-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** Fresh keys (tests, and the first start with GENERATE_KEYS). */
export function newCredentialsKeys(): CredentialsKeys {
  const key = randomBytes(32);
  return { index: randomBytes(32), sealing: [{ kid: sealingKeyId(key), key }] };
}

function bytes32(text: string, what: string): Buffer {
  const value = Buffer.from(text, 'base64url');
  if (value.length !== 32) throw new CredentialsError('credentials_keys', `${what} must be 32 bytes in base64url`);
  return value;
}

/** KEYS_DIR/credentials-keys.json, created when missing and `generate` is true. */
export async function loadCredentialsKeys(keysDir: string, generate: boolean): Promise<CredentialsKeys> {
  const { path, file } = await readOrCreateKeyFile<KeyFile>(keysDir, CREDENTIALS_KEYS_FILE, {
    generate,
    fresh: () => {
      const keys = newCredentialsKeys();
      return { index: keys.index.toString('base64url'), sealing: keys.sealing.map(({ kid, key }) => ({ kid, key: key.toString('base64url') })) };
    },
    fail: (detail) => new CredentialsError('credentials_keys', detail),
  });
  if (typeof file.index !== 'string' || !Array.isArray(file.sealing) || file.sealing.length === 0) {
    throw new CredentialsError('credentials_keys', `${path} must hold "index" and "sealing" keys (docs/levels.md)`);
  }
  return { index: bytes32(file.index, `${path} index`), sealing: file.sealing.map((entry) => ({ kid: String(entry.kid), key: bytes32(String(entry.key), `${path} key ${entry.kid}`) })) };
}

/** HMAC-SHA-256 under the index key, of a value tagged by what it is (a username never collides with a fiscal code's index). */
export function indexOf(keys: Pick<CredentialsKeys, 'index'>, kind: 'citizen' | 'username' | 'code', value: string): string {
  return createHmac('sha256', keys.index).update(`${kind}\0${value}`).digest('base64url');
}
