import { type DiffieHellman, createDiffieHellman } from 'node:crypto';
import { bytesToBigInt, leftPad } from '../bytes.js';
import { CardError } from '../card-error.js';

/** DH domain parameters as the card returns them (GET DATA); g, p and q are hashed in these exact encodings. */
export interface DhGroup {
  g: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
}

/** Private x: |q| random bytes, redrawn until 1 < x < q (the trace's x already satisfies this). */
export function generateDhPrivateKey(q: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const qValue = bytesToBigInt(q);
  if (qValue < 0xffffn) throw new CardError('malformed_response', 'card DH subgroup order q is unusable');
  for (;;) {
    const x = random(q.length);
    const value = bytesToBigInt(x);
    if (value > 1n && value < qValue) return x;
  }
}

// node:crypto DH (OpenSSL, constant-time modexp, ~1 ms) rather than BigInt (~3 ms, not constant-time) because x is secret.
function compute<T>(group: DhGroup, x: Uint8Array, operation: (dh: DiffieHellman) => T): T {
  try {
    const dh = createDiffieHellman(group.p, group.g);
    dh.setPrivateKey(x);
    return operation(dh);
  } catch (cause) {
    throw new CardError('malformed_response', 'card DH parameters are unusable', {}, { cause });
  }
}

/** Y = g^x mod p, left-padded to |p| bytes. */
export function dhPublicKey(group: DhGroup, x: Uint8Array): Uint8Array {
  return leftPad(new Uint8Array(compute(group, x, (dh) => dh.generateKeys())), group.p.length);
}

/** Z = Y_peer^x mod p, left-padded to |p| bytes; rejects peer values outside 1 < Y < p − 1. */
export function dhSharedSecret(group: DhGroup, x: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  const y = bytesToBigInt(peerPublicKey);
  if (y <= 1n || y >= bytesToBigInt(group.p) - 1n) {
    throw new CardError('device_auth_failed', 'card DH public key is out of range');
  }
  const secret = compute(group, x, (dh) => {
    dh.generateKeys();
    return dh.computeSecret(peerPublicKey);
  });
  return leftPad(new Uint8Array(secret), group.p.length);
}
