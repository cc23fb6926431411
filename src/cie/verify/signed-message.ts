import { createHash } from 'node:crypto';

/** M = SHA-256(UTF-8(origin)) ‖ SHA-256(challenge bytes), built from the provider's own values. */
export function signedMessage(origin: string, challengeBytes: Uint8Array): Buffer {
  const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
  return Buffer.concat([sha256(Buffer.from(origin, 'utf8')), sha256(challengeBytes)]);
}
