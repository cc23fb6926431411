import { CodedError } from '../../shared/coded-error.js';

export type CliErrorCode =
  | 'usage'
  | 'cancelled'
  | 'invalid_pin_format'
  | 'invalid_puk_format'
  | 'new_pins_differ'
  | 'weak_pin'
  | 'device_keys_unreadable'
  | 'port_in_use';

/** A failure of the CLI itself (not of the card): bad arguments, an entry refused before reaching the card, a cancel. */
export class CliError extends CodedError<CliErrorCode> {}
