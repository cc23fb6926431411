import { TransportError, type TransportErrorCode } from '../card-transport.js';

/** Where the failure happened: "no card" while connecting means absent, during a session removed. */
export type PcscPhase = 'connect' | 'session';

// pcsc-lite return codes (winscard.h); `pcsclite` only reports them inside the error message.
const CODES: Readonly<Record<number, TransportErrorCode>> = {
  0x80100009: 'no_reader', // SCARD_E_UNKNOWN_READER
  0x8010000a: 'timeout', // SCARD_E_TIMEOUT
  0x8010000b: 'card_busy', // SCARD_E_SHARING_VIOLATION
  0x8010000c: 'no_card', // SCARD_E_NO_SMARTCARD
  0x80100017: 'card_removed', // SCARD_E_READER_UNAVAILABLE (reader unplugged with the card in it)
  0x8010001d: 'pcsc_unavailable', // SCARD_E_NO_SERVICE
  0x8010001e: 'pcsc_unavailable', // SCARD_E_SERVICE_STOPPED
  0x8010002e: 'no_reader', // SCARD_E_NO_READERS_AVAILABLE
  0x80100069: 'card_removed', // SCARD_W_REMOVED_CARD
};

/** Maps an error from the binding to a TransportError; TransportErrors pass through unchanged. */
export function toTransportError(error: unknown, readerName: string, phase: PcscPhase): TransportError {
  if (error instanceof TransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const hex = /\(0x([0-9a-f]{8})\)/i.exec(message)?.[1];
  const pcscCode = hex === undefined ? undefined : Number.parseInt(hex, 16);
  let code = (pcscCode !== undefined && CODES[pcscCode]) || 'transport_failed';
  if (code === 'no_card' && phase === 'session') code = 'card_removed';
  return new TransportError(code, `PC/SC reader "${readerName}": ${message}`, { readerName, pcscCode }, { cause: error });
}
