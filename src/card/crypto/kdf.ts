import { createHash } from 'node:crypto';

export interface SessionKeys {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

function derive(z: Uint8Array, counter: number): Uint8Array {
  const counterBytes = Uint8Array.of(0, 0, 0, counter);
  return new Uint8Array(createHash('sha256').update(z).update(counterBytes).digest().subarray(0, 16));
}

/**
 * K_enc = SHA-256(Z ‖ 00000001)[0..16], K_mac = SHA-256(Z ‖ 00000002)[0..16], no parity adjustment.
 * Z must already be the fixed |p|-byte encoding (the middleware hashes the minimal encoding; see docs/card.md).
 */
export function deriveSessionKeys(z: Uint8Array): SessionKeys {
  return { kEnc: derive(z, 1), kMac: derive(z, 2) };
}
