import { createHash } from 'node:crypto';

export const ASSERTION_FORMAT = 'cie-assertion:1.0';

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * The 32-byte digest the card signs (as DigestInfo): SHA-256(SHA-256(origin) ‖ SHA-256(challenge)).
 * See docs/assertion.md; the provider rebuilds the same bytes from its own state.
 */
export function digestToSign(origin: string, challenge: Uint8Array): Uint8Array {
  return sha256(Buffer.concat([sha256(origin), sha256(challenge)]));
}

export function buildAssertion(input: { origin: string; challenge: Uint8Array; certificate: Uint8Array; signature: Uint8Array; bridgeVersion: string }): string {
  return JSON.stringify({
    format: ASSERTION_FORMAT,
    origin: input.origin,
    challenge: Buffer.from(input.challenge).toString('base64url'),
    certificate: Buffer.from(input.certificate).toString('base64'),
    algorithm: 'RS256',
    signature: Buffer.from(input.signature).toString('base64url'),
    bridge: `entra-con-cie-bridge/${input.bridgeVersion}`,
  });
}
