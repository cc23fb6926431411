import type { CieIdentity } from './cie-identity.js';

export const FISCAL_NUMBER_CLAIM = 'https://attributes.eid.gov.it/fiscal_number';

/** The identity as CIE user attributes (SPID/CIE OIDC guidelines: CIE user attributes — docs/references.md). */
export function cieClaims(identity: CieIdentity): Record<string, unknown> {
  return {
    [FISCAL_NUMBER_CLAIM]: `TINIT-${identity.fiscalCode}`,
    given_name: identity.givenName,
    family_name: identity.familyName,
    birthdate: identity.birthDate,
    gender: identity.gender,
    // `region` (province) is not derivable from the certificate without a Belfiore table.
    place_of_birth: { locality: identity.placeOfBirth },
    document_details: {
      type: 'cartaIdentita',
      document_number: identity.documentNumber,
      issuer: { name: identity.documentIssuer },
      date_of_issuance: identity.documentIssuedOn,
      date_of_expiry: identity.documentExpiresOn,
    },
  };
}
