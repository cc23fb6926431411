import type { X509Certificate } from '@peculiar/x509';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AssertionError } from './assertion-error.js';
import { isKnownAlgorithm, signatureAlgorithms } from './signature-algorithms.js';
import { signedMessage } from './signed-message.js';

export function checkAlgorithm(algorithm: string, allowed: readonly string[]): void {
  if (!allowed.includes(algorithm) || !isKnownAlgorithm(algorithm)) {
    throw new AssertionError('unsupported_algorithm', 'signature algorithm not allowed');
  }
}

/** The certificate's key as a node KeyObject (imported once per certificate: the import costs more than a verify). */
export function publicKeyOf(certificate: X509Certificate): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' });
  } catch (error) {
    throw new AssertionError('malformed_certificate', 'certificate public key cannot be decoded', {}, { cause: error });
  }
}

/** Verifies the card's signature over M rebuilt from the provider's origin and challenge record. */
export function checkSignature(
  publicKey: KeyObject,
  algorithm: string,
  signatureB64url: string,
  origin: string,
  challengeB64url: string,
): void {
  if (!isKnownAlgorithm(algorithm)) throw new AssertionError('unsupported_algorithm', 'signature algorithm not allowed');
  const scheme = signatureAlgorithms[algorithm];
  const signature = Buffer.from(signatureB64url, 'base64url');
  // Canonical encoding only: one signature, one spelling.
  if (signature.length === 0 || signature.toString('base64url') !== signatureB64url) {
    throw new AssertionError('invalid_signature', 'signature is not canonical base64url');
  }
  if (publicKey.asymmetricKeyType !== scheme.keyType) {
    throw new AssertionError('invalid_signature', `certificate key is not ${scheme.keyType} as ${algorithm} requires`);
  }
  const message = signedMessage(origin, Buffer.from(challengeB64url, 'base64url'));
  let valid = false;
  try {
    valid = verify(scheme.hash, message, publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new AssertionError('invalid_signature', 'signature does not verify');
}
