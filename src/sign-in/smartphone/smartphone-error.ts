import { CodedError } from '../../shared/coded-error.js';
import { errorMessage, errorStatus } from '../../shared/errors/error-table.js';
import type { Language } from '../../shared/language.js';

/** Every refusal of the smartphone sign-in (docs/app-protocol.md "Errors"); words and statuses are the error table's. */
export const SMARTPHONE_ERROR_CODES = [
  'session_not_found',
  'session_expired',
  'qr_invalid',
  'wrong_state',
  'not_this_session',
  'card_mismatch',
  'assertion_refused',
  'wrong_otp',
  'too_many_otp_attempts',
  'otp_expired',
  'malformed_request',
  'too_many_streams',
  'too_many_requests',
] as const;

export type SmartphoneErrorCode = (typeof SMARTPHONE_ERROR_CODES)[number];

export class SmartphoneError extends CodedError<SmartphoneErrorCode> {}

/**
 * What the app may try again (the JSON's `retryable`): another code, a less busy moment, the limit's
 * window. The table's own `retryable` is the bridge's PIN page, another question.
 */
const APP_MAY_RETRY: ReadonlySet<SmartphoneErrorCode> = new Set(['wrong_otp', 'too_many_streams', 'too_many_requests']);

/** The protocol's statuses where the provider's pages answer the same code otherwise (an expired session is gone for the app). */
const APP_STATUS: Partial<Record<SmartphoneErrorCode, number>> = { session_expired: 410 };

export function smartphoneStatus(code: SmartphoneErrorCode): number {
  return APP_STATUS[code] ?? errorStatus(code);
}

/** The JSON body every smartphone endpoint answers an error with. */
export function errorBody(code: SmartphoneErrorCode, language: Language): { error: SmartphoneErrorCode; error_description: string; retryable: boolean } {
  return { error: code, error_description: errorMessage(code, language), retryable: APP_MAY_RETRY.has(code) };
}
