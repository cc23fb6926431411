export type { RevocationChecker, RevocationConfig, RevocationMode } from './revocation-checker.js';
export { createRevocationChecker, revocationDefaults } from './create-revocation-checker.js';
