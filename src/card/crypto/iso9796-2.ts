import { createHash } from 'node:crypto';
import { concatBytes, equalBytes } from '../bytes.js';
import { rsaRaw } from './rsa-raw.js';

/** ISO/IEC 9796-2 scheme 1, partial message recovery, implicit trailer: M′ = 6A ‖ M1 ‖ H(M) ‖ BC. */
const HEADER_PARTIAL_RECOVERY = 0x6a;
const TRAILER_IMPLICIT = 0xbc;

export interface Iso9796Signature {
  signature: Uint8Array;
  /** M2: the part of M not carried in the signature (sent beside it, e.g. PkRem of a CV certificate). */
  nonRecoverable: Uint8Array;
}

function hashLength(hashAlgorithm: string): number {
  return createHash(hashAlgorithm).digest().length;
}

/** |M1| = k − hLen − 2; M must be at least that long (CIE messages always are). */
function recoverableLength(modulus: Uint8Array, hashAlgorithm: string): number {
  return modulus.length - hashLength(hashAlgorithm) - 2;
}

/** Signs M with the raw private exponent. Hand-written: no maintained library offers ISO 9796-2 for Node. */
export function iso9796Sign(
  message: Uint8Array,
  key: { n: Uint8Array; d: Uint8Array },
  hashAlgorithm = 'sha256',
): Iso9796Signature {
  const m1Length = recoverableLength(key.n, hashAlgorithm);
  if (message.length < m1Length) throw new RangeError('message too short for partial recovery');
  const hash = createHash(hashAlgorithm).update(message).digest();
  const representative = concatBytes(
    Uint8Array.of(HEADER_PARTIAL_RECOVERY),
    message.subarray(0, m1Length),
    hash,
    Uint8Array.of(TRAILER_IMPLICIT),
  );
  return { signature: rsaRaw(representative, key.d, key.n), nonRecoverable: message.slice(m1Length) };
}

/**
 * Opens the signature with the public key and checks header, trailer and H(M1 ‖ M2).
 * Returns the recovered M1, or undefined when the signature does not verify.
 */
export function iso9796Recover(
  signature: Uint8Array,
  key: { n: Uint8Array; e: Uint8Array },
  nonRecoverable: Uint8Array,
  hashAlgorithm = 'sha256',
): Uint8Array | undefined {
  if (signature.length !== key.n.length) return undefined;
  let representative: Uint8Array;
  try {
    representative = rsaRaw(signature, key.e, key.n);
  } catch {
    return undefined;
  }
  const m1Length = recoverableLength(key.n, hashAlgorithm);
  if (representative[0] !== HEADER_PARTIAL_RECOVERY || representative[representative.length - 1] !== TRAILER_IMPLICIT) {
    return undefined;
  }
  const m1 = representative.slice(1, 1 + m1Length);
  const hash = representative.slice(1 + m1Length, representative.length - 1);
  const expected = createHash(hashAlgorithm).update(m1).update(nonRecoverable).digest();
  return equalBytes(hash, expected) ? m1 : undefined;
}
