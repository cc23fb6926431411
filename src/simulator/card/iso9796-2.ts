import type { KeyObject } from 'node:crypto';
import { concatBytes } from './bytes.js';
import { rsaModulusLength, rsaRawPrivate, rsaRawPublic } from './rsa.js';

const HEADER = 0x6a;
const TRAILER = 0xbc;
const HASH_LENGTH = 32;

/**
 * ISO/IEC 9796-2 scheme 1, partial recovery, SHA-256, implicit trailer BC: M' = 6A ‖ M1 ‖ H ‖ BC.
 * Hand-written because no maintained JS library implements it.
 */
export function iso9796Sign(privateKey: KeyObject, recoverable: Uint8Array, hash: Uint8Array): Uint8Array {
  if (recoverable.length !== recoverableLength(privateKey) || hash.length !== HASH_LENGTH) {
    throw new RangeError('ISO 9796-2 message representative has the wrong size');
  }
  return rsaRawPrivate(privateKey, concatBytes(Uint8Array.of(HEADER), recoverable, hash, Uint8Array.of(TRAILER)));
}

export interface Iso9796Recovered {
  /** M1, the recoverable part of the message (k − 34 bytes). */
  readonly recoverable: Uint8Array;
  /** The SHA-256 hash carried in the representative. */
  readonly hash: Uint8Array;
}

/** Opens a signature; undefined unless it decrypts to `6A … BC`. The caller checks the hash. */
export function iso9796Recover(publicKey: KeyObject, signature: Uint8Array): Iso9796Recovered | undefined {
  const k = rsaModulusLength(publicKey);
  if (signature.length !== k) return undefined;
  const representative = rsaRawPublic(publicKey, signature);
  if (!representative || representative[0] !== HEADER || representative[k - 1] !== TRAILER) return undefined;
  return {
    recoverable: representative.subarray(1, k - 1 - HASH_LENGTH),
    hash: representative.subarray(k - 1 - HASH_LENGTH, k - 1),
  };
}

/** |M1| = k − 34 (header, hash and trailer take the rest). */
export function recoverableLength(key: KeyObject): number {
  return rsaModulusLength(key) - HASH_LENGTH - 2;
}
