import { CodedError } from '../shared/coded-error.js';

/**
 * Refusals of the CieID app as a level-2 factor (docs/app-protocol.md, "Level 2: the app as a
 * factor"): the device's signed requests, the approvals, the certified devices. Words and statuses
 * are the error table's.
 */
export type AppFactorErrorCode =
  | 'app_device_unknown'
  | 'app_request_invalid'
  | 'app_request_replayed'
  | 'app_enrolment_unknown'
  | 'approval_unknown'
  | 'app_approval_expired'
  | 'app_approval_denied'
  | 'app_number_mismatch'
  | 'too_many_app_devices'
  | 'too_many_app_pushes'
  | 'no_app_device';

export class AppFactorError extends CodedError<AppFactorErrorCode> {}
