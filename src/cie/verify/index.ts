export { AssertionError, assertionErrorCodes, type AssertionErrorCode } from './assertion-error.js';
export type { AuditEvent } from './audit-event.js';
export type { ChallengeConsumer, ChallengeRecord } from './challenge-consumer.js';
export { createAssertionVerifier, type AssertionVerifier, type VerifiedCard } from './create-assertion-verifier.js';
export { MAX_ASSERTION_BYTES } from './parse-assertion.js';
export { signedMessage } from './signed-message.js';
export { CIE_AUTHENTICATION_POLICY, VerifierConfigError, type VerifierConfig } from './verifier-config.js';
