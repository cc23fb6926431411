import { CodedError } from '../../shared/coded-error.js';

/** Every reason NIS authentication fails; stable strings for callers and tests. */
export const nisAuthenticationErrorCodes = [
  'invalid_challenge',
  'sod_malformed',
  'sod_unsupported_algorithm',
  'sod_signature_invalid',
  'sod_signer_untrusted',
  'sod_signer_expired',
  'data_group_missing',
  'nis_mismatch',
  'services_key_mismatch',
  'chip_authentication_failed',
] as const;

export type NisAuthenticationErrorCode = (typeof nisAuthenticationErrorCodes)[number];

export class NisAuthenticationError extends CodedError<NisAuthenticationErrorCode> {}
