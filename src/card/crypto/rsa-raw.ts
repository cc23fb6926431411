import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { bytesToBigInt, leftPad } from '../bytes.js';

function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  const start = bytes.findIndex((byte) => byte !== 0);
  return start === -1 ? new Uint8Array(0) : bytes.subarray(start);
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * Raw RSA: input^exponent mod modulus, output |modulus| bytes, computed by OpenSSL.
 *
 * node:crypto needs the CRT parameters for a private-key operation, and the device-authentication key files carry only
 * n and d, so a private operation is run as a public one whose exponent is d (OpenSSL allows any exponent below the
 * modulus up to 3072-bit moduli, which covers the 2048-bit CIE keys). These keys are shared by all terminals and
 * published in the official software, so the variable-time public-key path leaks nothing.
 */
export function rsaRaw(input: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Uint8Array {
  const n = withoutLeadingZeros(modulus);
  if (bytesToBigInt(input) >= bytesToBigInt(n)) throw new RangeError('RSA input is not smaller than the modulus');
  const key = createPublicKey({ key: { kty: 'RSA', n: base64url(n), e: base64url(withoutLeadingZeros(exponent)) }, format: 'jwk' });
  // RSA_NO_PADDING takes exactly |n| bytes in and gives |n| bytes out.
  const output = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, leftPad(withoutLeadingZeros(input), n.length));
  return leftPad(new Uint8Array(output), modulus.length);
}
