import { bigIntToBytes, bytesToBigInt } from '../bytes.js';

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/**
 * Raw RSA: input^exponent mod modulus, output |modulus| bytes. Hand-written with BigInt because node:crypto
 * needs the CRT parameters for private-key operations, and the device-authentication key files carry only n and d
 * (these keys are shared by all terminals and published in the official software, so timing side channels do not matter).
 */
export function rsaRaw(input: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Uint8Array {
  const n = bytesToBigInt(modulus);
  const m = bytesToBigInt(input);
  if (m >= n) throw new RangeError('RSA input is not smaller than the modulus');
  return bigIntToBytes(modPow(m, bytesToBigInt(exponent), n), modulus.length);
}
