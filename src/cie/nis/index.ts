export { verifyNisAuthentication, type NisAuthenticationOptions, type NisEvidence, type VerifiedNis } from './verify-nis-authentication.js';
export { NisAuthenticationError, nisAuthenticationErrorCodes, type NisAuthenticationErrorCode } from './nis-authentication-error.js';
export { readSecurityObject, type SecurityObject } from './security-object.js';
