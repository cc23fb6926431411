import { desCbcEncrypt, desEcbDecrypt, desEcbEncrypt } from './des.js';

/** ISO/IEC 9797-1 padding method 2: `80` then `00`s to a multiple of 8; always adds at least one byte. */
export function padIso9797M2(data: Uint8Array): Uint8Array {
  const padded = new Uint8Array((Math.floor(data.length / 8) + 1) * 8);
  padded.set(data);
  padded[data.length] = 0x80;
  return padded;
}

/** Inverse of padIso9797M2; undefined when the padding is not well formed. */
export function unpadIso9797M2(padded: Uint8Array): Uint8Array | undefined {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0x00) end--;
  if (end < 0 || padded[end] !== 0x80 || padded.length - end > 8) return undefined;
  return padded.slice(0, end);
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") over already padded data: single-DES CBC with K1 over every
 * block, then DES-decrypt with K2 and DES-encrypt with K1 on the final chaining value. Hand-written because
 * node:crypto has no retail MAC.
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError('retail MAC key must be 16 bytes');
  if (paddedData.length === 0 || paddedData.length % 8 !== 0) throw new RangeError('MAC input must be padded');
  const k1 = key.slice(0, 8);
  const k2 = key.slice(8, 16);
  const chaining = desCbcEncrypt(k1, paddedData).slice(-8);
  return desEcbEncrypt(k1, desEcbDecrypt(k2, chaining));
}

