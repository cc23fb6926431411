export type { CieIdentity } from './cie-identity.js';
export type { DecodedFiscalCode } from './fiscal-code.js';
export { decodeFiscalCode, checkCharacter } from './fiscal-code.js';
export { identityFromCertificate } from './identity-from-certificate.js';
export { cieClaims, FISCAL_NUMBER_CLAIM } from './cie-claims.js';
export { capitaliseWords } from './name-case.js';
