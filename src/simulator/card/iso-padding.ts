import { concatBytes } from './bytes.js';

/** ISO/IEC 9797-1 padding method 2: `80` then zeros to a multiple of 8; always adds at least one byte. */
export function padIso9797M2(data: Uint8Array): Uint8Array {
  const padLength = 8 - (data.length % 8);
  const padding = new Uint8Array(padLength);
  padding[0] = 0x80;
  return concatBytes(data, padding);
}

/** Removes method-2 padding; undefined when the padding is malformed. */
export function unpadIso9797M2(padded: Uint8Array): Uint8Array | undefined {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0x00) i--;
  if (i < 0 || padded[i] !== 0x80 || padded.length - i > 8) return undefined;
  return padded.subarray(0, i);
}
