/** Send-sequence counter + 1, big-endian, wrapping from all-FF to zero (IAS-ECC §7.1.5). */
export function incrementSsc(ssc: Uint8Array): Uint8Array {
  const next = Uint8Array.from(ssc);
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i]! + 1) & 0xff;
    if (next[i] !== 0) break;
  }
  return next;
}
