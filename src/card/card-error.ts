import { CodedError } from '../shared/coded-error.js';

export type CardErrorCode =
  | 'wrong_pin'
  | 'pin_blocked'
  | 'wrong_puk'
  | 'puk_blocked'
  | 'invalid_pin_format'
  | 'secure_messaging'
  | 'device_auth_failed'
  | 'unsupported_card'
  | 'card_error'
  | 'malformed_response'
  | 'invalid_device_keys'
  | 'invalid_challenge';

/** details: { triesLeft?: number, sw?: string } — never PIN or PUK. */
export class CardError extends CodedError<CardErrorCode> {}
