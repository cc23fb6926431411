import { CodedError } from '../../shared/coded-error.js';

export type VirtualCardErrorCode =
  | 'card_file_unreadable'
  | 'card_file_invalid'
  | 'card_file_busy'
  | 'device_keys_unreadable'
  | 'device_keys_invalid'
  | 'invalid_holder'
  | 'invalid_code'
  | 'invalid_document_number'
  | 'usage';

/** Problems with card files, device-auth key files and minting parameters (never carries PIN or PUK values). */
export class VirtualCardError extends CodedError<VirtualCardErrorCode> {}
