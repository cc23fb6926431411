import { createHash } from 'node:crypto';

export interface SmKeys {
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
}

/** K_enc = SHA-256(Z ‖ 00000001)[0..16], K_mac = SHA-256(Z ‖ 00000002)[0..16] (protocol §2.3); no parity adjustment. */
export function deriveSessionKeys(z: Uint8Array): SmKeys {
  const derive = (counter: number): Uint8Array => {
    const suffix = Buffer.alloc(4);
    suffix.writeUInt32BE(counter);
    return createHash('sha256').update(z).update(suffix).digest().subarray(0, 16);
  };
  return { kEnc: derive(1), kMac: derive(2) };
}
