import { webcrypto } from 'node:crypto';
import { RSA_SHA256 } from './profile.js';

export function generateRsaKeyPair(modulusLength: number): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
}
