/** CIE attribute names and scope shortcuts (SPID/CIE OIDC guidelines: CIE user attributes, scope vs claims — docs/references.md). */
export const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

/** Claims per scope: what oidc-provider releases for a granted scope. */
export const claimsByScope = {
  // acr and amr ride on `openid` so every ID token carries them (SPID/CIE OIDC guidelines: ID token — docs/references.md); the
  // account's userinfo claims never hold them, so userinfo is unchanged.
  openid: ['sub', 'acr', 'amr'],
  // `profile` is the eIDAS minimum dataset in the CIE profile, not OIDC Core's list.
  profile: ['given_name', 'family_name', 'birthdate', FISCAL_NUMBER],
  email: ['email', 'email_verified'],
} as const;

/** Every user claim the provider can release (advertised as claims_supported). */
export const supportedUserClaims = [
  'given_name',
  'family_name',
  'birthdate',
  'gender',
  'place_of_birth',
  FISCAL_NUMBER,
  'document_details',
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'address',
] as const;

/** Labels shown on the consent page, Italian first. */
export const claimLabels: Record<string, { it: string; en: string }> = {
  given_name: { it: 'Nome', en: 'Given name' },
  family_name: { it: 'Cognome', en: 'Family name' },
  birthdate: { it: 'Data di nascita', en: 'Date of birth' },
  gender: { it: 'Sesso', en: 'Gender' },
  place_of_birth: { it: 'Luogo di nascita', en: 'Place of birth' },
  [FISCAL_NUMBER]: { it: 'Codice fiscale', en: 'Fiscal code' },
  document_details: { it: 'Estremi del documento', en: 'Identity document' },
  email: { it: 'Indirizzo e-mail', en: 'E-mail address' },
  email_verified: { it: 'E-mail verificata', en: 'E-mail verified' },
  phone_number: { it: 'Numero di telefono', en: 'Phone number' },
  phone_number_verified: { it: 'Telefono verificato', en: 'Phone verified' },
  address: { it: 'Indirizzo', en: 'Address' },
};
