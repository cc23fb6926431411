/** Signature algorithms the verifier knows how to check, by assertion `algorithm` name. */
export const signatureAlgorithms = {
  // RSASSA-PKCS1-v1_5 with SHA-256: the only scheme the CIE authentication key produces.
  RS256: { hash: 'sha256', keyType: 'rsa' },
} as const;

export type SignatureAlgorithmName = keyof typeof signatureAlgorithms;

export function isKnownAlgorithm(name: string): name is SignatureAlgorithmName {
  return Object.hasOwn(signatureAlgorithms, name);
}
