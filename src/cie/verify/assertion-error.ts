import { CodedError } from '../../shared/coded-error.js';

/** Every reason an assertion is refused; stable strings the UI and the audit log rely on. */
export const assertionErrorCodes = [
  'assertion_too_large',
  'malformed_assertion',
  'challenge_not_found',
  'challenge_expired',
  'challenge_interaction_mismatch',
  'unsupported_format',
  'origin_mismatch',
  'unsupported_algorithm',
  'malformed_certificate',
  'invalid_signature',
  'certificate_not_yet_valid',
  'certificate_expired',
  'not_end_entity_certificate',
  'wrong_key_usage',
  'wrong_certificate_policy',
  'self_signed_certificate',
  'untrusted_certificate',
  'certificate_revoked',
  'certificate_suspended',
  'revocation_unknown',
  'revocation_unavailable',
  'ocsp_invalid_signature',
  'ocsp_unauthorised_responder',
  'ocsp_certid_mismatch',
  'ocsp_stale',
  'ocsp_nonce_mismatch',
  'crl_invalid_signature',
  'crl_stale',
  'missing_identity',
  'invalid_fiscal_code',
  'internal_error',
] as const;

export type AssertionErrorCode = (typeof assertionErrorCodes)[number];

export class AssertionError extends CodedError<AssertionErrorCode> {}
