import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concatBytes } from './bytes.js';

const ZERO_IV = Buffer.alloc(8);

function runCipher(algorithm: string, key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  const iv = algorithm.endsWith('-ecb') ? null : ZERO_IV;
  const cipher = encrypt ? createCipheriv(algorithm, key, iv) : createDecipheriv(algorithm, key, iv);
  cipher.setAutoPadding(false);
  return concatBytes(cipher.update(data), cipher.final());
}

/** 2-key 3DES (K1‖K2‖K1) in CBC mode with a zero IV; `data` must already be a multiple of 8 bytes. */
export function tdesCbcEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return runCipher('des-ede-cbc', key, data, true);
}

export function tdesCbcDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return runCipher('des-ede-cbc', key, data, false);
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") over already padded data. Written by hand because
 * node:crypto has no retail MAC; single DES is 2-key EDE with K‖K (OpenSSL 3's default provider has no DES).
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const chained = runCipher('des-ede-cbc', concatBytes(k1, k1), paddedData, true);
  const last = chained.subarray(chained.length - 8);
  const decrypted = runCipher('des-ede-ecb', concatBytes(k2, k2), last, false);
  return runCipher('des-ede-ecb', concatBytes(k1, k1), decrypted, true);
}
