import type { Language } from '../../shared/language.js';

/** A verified card login, ready to become an OIDC login. */
export interface VerifiedCardLogin {
  interactionUid: string;
  fiscalCode: string;
  /** CIE claims derived from the certificate (fiscal_number, given_name, …). */
  claims: Record<string, unknown>;
  /** Serial number of the card's authentication certificate, for the access registry. */
  certificateSerial?: string;
}

/**
 * What the interaction routes need from cie/: verify an assertion (throwing a CodedError whose
 * details carry `interactionUid` when the challenge was known) and say what an error code means.
 */
export interface CardLoginVerifier {
  verify(rawAssertion: string): Promise<VerifiedCardLogin>;
  messageFor(code: string, language: Language): string;
}
