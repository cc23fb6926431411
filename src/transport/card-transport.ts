import { CodedError } from '../shared/coded-error.js';

/**
 * One connection to one card, held exclusively for as long as it is open (a whole secure session
 * must not be interleaved with another application's APDUs: the SSC would break).
 */
export interface CardTransport {
  /** Answer-to-reset as reported by the reader (or the virtual card). */
  readonly atr: Uint8Array;
  /** Reader name, for messages ("Virtual PCD 00 00", "in-process"). */
  readonly readerName: string;
  /**
   * Sends one command APDU and resolves with the response APDU (data ‖ SW1 SW2).
   * Rejects with TransportError (card_removed, timeout, …); never hangs past the configured timeout.
   */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Warm reset: the card drops its security state (SM session, verified PIN, selected files). */
  reset(): Promise<void>;
  /** Releases the card (no reset). Safe to call twice. */
  close(): Promise<void>;
}

export interface ReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
  readonly atr?: Uint8Array;
}

/** Lists readers and opens connections. One implementation per way of reaching a card. */
export interface CardTerminal {
  listReaders(): Promise<ReaderInfo[]>;
  /** Connects to the named reader, or to the first reader with a card when no name is given. */
  connect(readerName?: string): Promise<CardTransport>;
  close(): Promise<void>;
}

export type TransportErrorCode =
  | 'pcsc_unavailable' // no PC/SC library / daemon
  | 'no_reader'
  | 'no_card'
  | 'card_removed'
  | 'card_busy' // another application holds the card
  | 'timeout'
  | 'transport_failed';

export class TransportError extends CodedError<TransportErrorCode> {}
