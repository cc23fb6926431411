import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { readOrCreateKeyFile } from '../shared/key-file.js';
import { RegistryError } from './registry-error.js';

export const REGISTRY_KEYS_FILE = 'registry-keys.json';

/** A 32-byte AES-256-GCM key and the id stored beside each record it sealed. */
export interface EncryptionKey {
  kid: string;
  key: Buffer;
}

export interface RegistryKeys {
  /** First seals new records; all open the records they sealed (rotation: put the new key first). */
  encryption: EncryptionKey[];
  /** HMAC key of the citizen index. Never rotated: a new one would hide every earlier record from its citizen. */
  index: Buffer;
  /** Ed25519 keys of the checkpoints: the first signs, all verify (private JWKs with `kid`). */
  signing: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey }[];
}

interface KeyFile {
  encryption: { kid: string; key: string }[];
  index: string;
  signing: JWK[];
}

function keyBytes(text: string, what: string): Buffer {
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 32) throw new RegistryError('registry_keys', `${what} must be 32 bytes in base64 or base64url`);
  return bytes;
}

/** REGISTRY_KEY's id: derived from the key, so the same key always gets the same id. */
export function keyIdOf(key: Buffer): string {
  return `k-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

async function newKeyFile(): Promise<KeyFile> {
  const key = randomBytes(32);
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    encryption: [{ kid: keyIdOf(key), key: key.toString('base64url') }],
    index: randomBytes(32).toString('base64url'),
    signing: [{ ...jwk, kid: `registry-${randomBytes(8).toString('hex')}`, alg: 'EdDSA' }],
  };
}

/**
 * KEYS_DIR/registry-keys.json, created when missing and `generate` (GENERATE_KEYS) is true.
 * `environmentKey` (REGISTRY_KEY, '' when unset) seals new records; the file's keys still open older ones.
 */
export async function loadRegistryKeys(keysDir: string, generate: boolean, environmentKey = ''): Promise<RegistryKeys> {
  const { path, file } = await readOrCreateKeyFile<KeyFile>(keysDir, REGISTRY_KEYS_FILE, {
    generate,
    fresh: newKeyFile,
    fail: (detail) => new RegistryError('registry_keys', detail),
  });
  if (!Array.isArray(file.encryption) || typeof file.index !== 'string' || !Array.isArray(file.signing) || file.signing.length === 0) {
    throw new RegistryError('registry_keys', `${path} must hold "encryption", "index" and "signing" keys (docs/registry.md)`);
  }
  const encryption = file.encryption.map((entry) => ({ kid: String(entry.kid), key: keyBytes(String(entry.key), `${path} key ${entry.kid}`) }));
  if (environmentKey) {
    const key = keyBytes(environmentKey, 'REGISTRY_KEY');
    const kid = keyIdOf(key);
    encryption.splice(0, 0, { kid, key });
    for (let i = encryption.length - 1; i > 0; i--) if (encryption[i]!.kid === kid) encryption.splice(i, 1);
  }
  if (encryption.length === 0) throw new RegistryError('registry_keys', 'no registry encryption key');
  const signing = await Promise.all(file.signing.map(async (jwk) => {
    if (typeof jwk.kid !== 'string' || typeof jwk.d !== 'string') throw new RegistryError('registry_keys', `${path}: every signing key needs "kid" and "d"`);
    const { d: _private, ...publicJwk } = jwk;
    return { kid: jwk.kid, privateKey: (await importJWK(jwk, 'EdDSA')) as CryptoKey, publicKey: (await importJWK(publicJwk, 'EdDSA')) as CryptoKey };
  }));
  return { encryption, index: keyBytes(file.index, `${path} index key`), signing };
}
