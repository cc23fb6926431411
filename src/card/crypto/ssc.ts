/** Send Sequence Counter: big-endian increment with carry; all-FF wraps to zero (IAS-ECC §7.1.5). */
export function incrementSsc(ssc: Uint8Array): Uint8Array {
  const next = ssc.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i]! + 1) & 0xff;
    if (next[i] !== 0) break;
  }
  return next;
}

/** SSC after DH key agreement. */
export const SSC_AFTER_KEY_AGREEMENT = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1);

/** SSC after device authentication: RND.ICC[4..8] ‖ RND.IFD[4..8]. */
export function sscAfterDeviceAuthentication(rndIcc: Uint8Array, rndIfd: Uint8Array): Uint8Array {
  const ssc = new Uint8Array(8);
  ssc.set(rndIcc.slice(4, 8), 0);
  ssc.set(rndIfd.slice(4, 8), 4);
  return ssc;
}
