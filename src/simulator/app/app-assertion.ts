import { createHash } from 'node:crypto';

export const APP_VERSION = '0.1.0';

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/**
 * What the card signs, written here independently of the provider's verifier (docs/assertion.md):
 * DigestInfo(SHA-256, SHA-256(SHA-256(origin) ‖ SHA-256(challenge bytes))). The origin is the one
 * the app took from the QR / hand-off link it opened, never one named in an answer.
 */
export function appDigest(origin: string, challengeBase64url: string): Uint8Array {
  return sha256(Buffer.concat([sha256(origin), sha256(Buffer.from(challengeBase64url, 'base64url'))]));
}

/** The `cie-assertion:1.0` JSON of docs/assertion.md, with `client` naming the app instead of `bridge`. */
export function appAssertion(input: { origin: string; challenge: string; certificate: Uint8Array; signature: Uint8Array }): string {
  return JSON.stringify({
    format: 'cie-assertion:1.0',
    origin: input.origin,
    challenge: input.challenge,
    certificate: Buffer.from(input.certificate).toString('base64'),
    algorithm: 'RS256',
    signature: Buffer.from(input.signature).toString('base64url'),
    client: `cieid-app-simulator/${APP_VERSION}`,
  });
}
