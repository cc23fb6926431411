import { constants, createPublicKey, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';
import { bytesToBase64Url } from './bytes.js';

/** Public key from big-endian modulus and exponent bytes. */
export function rsaPublicKey(n: Uint8Array, e: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: bytesToBase64Url(n), e: bytesToBase64Url(e) }, format: 'jwk' });
}

/** Modulus length in bytes (k). */
export function rsaModulusLength(key: KeyObject): number {
  return ((key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3;
}

/** Raw private-key operation m^d mod n on a k-byte input smaller than n. */
export function rsaRawPrivate(key: KeyObject, input: Uint8Array): Uint8Array {
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, input);
}

/** Raw public-key operation s^e mod n; undefined when s is not a valid k-byte value below n. */
export function rsaRawPublic(key: KeyObject, input: Uint8Array): Uint8Array | undefined {
  try {
    return publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, input);
  } catch {
    return undefined;
  }
}

/** EMSA-PKCS1-v1_5 type-01 padding of `data` as given (no hashing) + private-key operation (protocol §4, §6). */
export function rsaPkcs1Type1Sign(key: KeyObject, data: Uint8Array): Uint8Array {
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, data);
}

/** Subject public key as PKCS#1 RSAPublicKey DER (the content of EF 10 04 / 10 05). */
export function rsaPublicKeyPkcs1Der(key: KeyObject): Uint8Array {
  return createPublicKey(key).export({ type: 'pkcs1', format: 'der' });
}
