/** The only authentication levels of the SPID/CIE OIDC profile (SPID/CIE OIDC guidelines: acr levels — docs/references.md). */
export const ACR = {
  L1: 'https://www.spid.gov.it/SpidL1',
  L2: 'https://www.spid.gov.it/SpidL2',
  L3: 'https://www.spid.gov.it/SpidL3',
} as const;

export const acrValuesSupported = [ACR.L1, ACR.L2, ACR.L3];

/** A card login with PIN: level 3, the eIDAS-high equivalent. */
export const CARD_LOGIN = { acr: ACR.L3, amr: ['sc', 'pin', 'mfa'] } as const;

export function acrLevel(acr: string): number {
  const index = acrValuesSupported.indexOf(acr as (typeof acrValuesSupported)[number]);
  return index === -1 ? 0 : index + 1;
}
