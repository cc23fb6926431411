import { createCipheriv, createDecipheriv } from 'node:crypto';
import { concatBytes } from '../bytes.js';

const ZERO_IV = new Uint8Array(8);

function run(decrypt: boolean, algorithm: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 8 !== 0) throw new RangeError('DES input must be a multiple of 8 bytes');
  const iv = algorithm.endsWith('-ecb') ? null : ZERO_IV;
  const cipher = decrypt ? createDecipheriv(algorithm, key, iv) : createCipheriv(algorithm, key, iv);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

function checkKey(key: Uint8Array, length: number): void {
  if (key.length !== length) throw new RangeError(`DES key must be ${length} bytes`);
}

/** 2-key 3DES (K1‖K2‖K1) in CBC mode, IV = 0, no padding. */
export function tripleDesCbcEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key, 16);
  return run(false, 'des-ede-cbc', key, data);
}

export function tripleDesCbcDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key, 16);
  return run(true, 'des-ede-cbc', key, data);
}

// OpenSSL 3's default provider has no single DES; 3DES-EDE with K‖K‖K computes exactly single DES.
function singleDesKey(key: Uint8Array): Uint8Array {
  checkKey(key, 8);
  return concatBytes(key, key, key);
}

/** Single DES in CBC mode, IV = 0, no padding. */
export function desCbcEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(false, 'des-ede3-cbc', singleDesKey(key), data);
}

/** Single DES decryption of whole blocks (ECB). */
export function desEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(true, 'des-ede3-ecb', singleDesKey(key), data);
}

export function desEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(false, 'des-ede3-ecb', singleDesKey(key), data);
}
