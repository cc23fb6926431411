/** What the bridge's web pages need from the card: one PIN-protected signature and the certificate. */
export interface CardSigner {
  /** Throws CardError / TransportError (typed codes) on a wrong PIN, a blocked card, no reader… */
  sign(pin: string, digest: Uint8Array): Promise<{ signature: Uint8Array; certificate: Uint8Array }>;
}
