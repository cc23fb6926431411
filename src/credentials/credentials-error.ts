import { CodedError } from '../shared/coded-error.js';

/**
 * Stable codes of the credentials room. Sign-in answers never tell which part was wrong
 * (`invalid_credentials` for an unknown user and a wrong password alike: no user enumeration).
 */
export type CredentialsErrorCode =
  | 'invalid_credentials'
  | 'account_throttled'
  | 'password_policy'
  | 'password_breached'
  | 'breached_passwords_file'
  | 'breached_passwords_unavailable'
  | 'breached_passwords_config'
  | 'username_taken'
  | 'username_contact_moved'
  | 'no_identity'
  | 'card_sign_in_required'
  | 'invalid_email'
  | 'code_invalid'
  | 'code_expired'
  | 'code_attempts_exhausted'
  | 'passkey_refused'
  | 'passkey_ceremony_expired'
  | 'credentials_keys';

export class CredentialsError extends CodedError<CredentialsErrorCode> {}
