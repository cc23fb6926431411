/** A verified card login: the citizen, and the binding its challenge was issued for (`bindingKey`). */
export interface VerifiedCardLogin {
  boundTo: string;
  fiscalCode: string;
  /** CIE claims derived from the certificate (fiscal_number, given_name, …). */
  claims: Record<string, unknown>;
  /** Serial number of the card's authentication certificate, for the access registry. */
  certificateSerial?: string;
}

/**
 * What the card room needs from cie/: verify an assertion (throwing a CodedError whose details carry
 * the challenge's binding as `boundTo`, once the challenge was known).
 * What a code means to the citizen is the error table's (src/shared/errors/error-table.ts).
 */
export interface CardLoginVerifier {
  verify(rawAssertion: string): Promise<VerifiedCardLogin>;
}
