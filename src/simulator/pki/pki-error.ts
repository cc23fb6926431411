import { CodedError } from '../../shared/coded-error.js';

export type PkiErrorCode =
  | 'PKI_NOT_INITIALISED'
  | 'PKI_ALREADY_INITIALISED'
  | 'PKI_STATE_INVALID'
  | 'PKI_STATE_LOCKED'
  | 'PKI_INVALID_OPTION'
  | 'PKI_INVALID_SERIAL'
  | 'PKI_UNKNOWN_SERIAL'
  | 'PKI_ALREADY_REVOKED'
  | 'PKI_ALREADY_SUSPENDED'
  | 'PKI_NOT_SUSPENDED'
  | 'PKI_INVALID_HOLDER'
  | 'PKI_INVALID_KEY'
  | 'PKI_INVALID_VALIDITY';

/** Any refusal of the test PKI (bad input, wrong state transition, missing or damaged PKI directory). */
export class PkiError extends CodedError<PkiErrorCode> {}
