import { cieClaims } from '../cie/identity/index.js';
import type { AssertionVerifier } from '../cie/verify/index.js';

/** A card assertion the verifier chain accepted, with the binding its challenge was issued for. */
export interface VerifiedAppAssertion {
  boundTo: string;
  fiscalCode: string;
  claims: Record<string, unknown>;
  certificateSerial: string;
  /** The card number (9 characters, e.g. CA00000AA): compared with the one typed on the desktop. */
  documentNumber: string;
}

/** What the smartphone sign-in needs from cie/: the same verifier chain as the desktop card sign-in. */
export type AppAssertionVerifier = (rawAssertion: string, expectedBinding: string) => Promise<VerifiedAppAssertion>;

/** The cie/verify chain in that shape: challenge taken once, origin, signature, chain, revocation, identity. */
export function appAssertionVerifier(verify: AssertionVerifier): AppAssertionVerifier {
  return async (rawAssertion, expectedBinding) => {
    const verified = await verify(rawAssertion, { boundTo: expectedBinding });
    return {
      boundTo: verified.boundTo,
      fiscalCode: verified.identity.fiscalCode,
      claims: cieClaims(verified.identity),
      certificateSerial: verified.certificate.serialNumber,
      documentNumber: verified.identity.documentNumber,
    };
  };
}
