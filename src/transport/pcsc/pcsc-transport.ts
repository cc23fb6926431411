import { TransportError, type CardTransport } from '../card-transport.js';
import { callWithTimeout } from './call-with-timeout.js';
import {
  SCARD_LEAVE_CARD,
  SCARD_PROTOCOL_T0,
  SCARD_PROTOCOL_T1,
  SCARD_RESET_CARD,
  SCARD_SHARE_EXCLUSIVE,
  type PcscCallback,
  type PcscReader,
} from './pcsc-binding.js';
import { toTransportError, type PcscPhase } from './pcsc-error.js';

// Extended-length response (65536 data bytes) plus SW1 SW2.
const MAX_RESPONSE_LENGTH = 65538;
// pcscd polls card presence every 400 ms (PCSCLITE_STATUS_POLL_RATE), but a busy machine delays its
// polls: 1 s proved too short under a loaded test run (a removal then read as a generic failure). Only a
// failed exchange waits this long, for a clearer "card removed" than "the card answered unexpectedly".
const REMOVAL_VERDICT_MS = 3_000;

/** Connects to the reader's card in exclusive mode; resolves with the negotiated protocol. */
export function connectExclusive(reader: PcscReader, timeoutMs: number): Promise<number> {
  return callPcsc(reader.name, 'connect', timeoutMs, (callback) => requestExclusive(reader, callback));
}

function requestExclusive(reader: PcscReader, callback: PcscCallback<number>): void {
  reader.connect({ share_mode: SCARD_SHARE_EXCLUSIVE, protocol: SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1 }, callback);
}

/**
 * One exclusive PC/SC connection. Exclusive share mode for its whole life: a secure-messaging
 * session must not be interleaved with other applications' APDUs.
 */
export class PcscTransport implements CardTransport {
  readonly readerName: string;
  readonly atr: Uint8Array;
  readonly #reader: PcscReader;
  readonly #timeoutMs: number;
  readonly #onReleased: () => void;
  #protocol: number;
  #state: 'open' | 'removed' | 'closed' = 'open';
  #release: Promise<void> | undefined;
  #signalRemoval!: (error: TransportError) => void;
  /** Rejects when the card is removed, so that in-flight calls fail at once. */
  readonly #removal = new Promise<never>((_, reject) => {
    this.#signalRemoval = reject;
  });

  constructor(reader: PcscReader, protocol: number, atr: Uint8Array, timeoutMs: number, onReleased: () => void) {
    this.#reader = reader;
    this.readerName = reader.name;
    this.#protocol = protocol;
    this.atr = atr;
    this.#timeoutMs = timeoutMs;
    this.#onReleased = onReleased;
    this.#removal.catch(() => {}); // observed through races only; never an unhandled rejection
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const response = await this.#session<Buffer>((callback) =>
      this.#reader.transmit(Buffer.from(command), MAX_RESPONSE_LENGTH, this.#protocol, callback),
    );
    // Every response carries SW1 SW2; nothing at all means the card is gone (vpcd answers a
    // pulled card this way until pcscd's next presence poll notices).
    if (response.length < 2) {
      this.markRemoved();
      throw this.#removedError();
    }
    return new Uint8Array(response);
  }

  /** pcsclite has no SCardReconnect: disconnect with SCARD_RESET_CARD, then connect again. */
  async reset(): Promise<void> {
    await this.#session<void>((callback) => this.#reader.disconnect(SCARD_RESET_CARD, (error) => callback(error, undefined)));
    this.#protocol = await this.#session<number>((callback) => requestExclusive(this.#reader, callback));
  }

  /**
   * Called by the terminal when the reader reports the card gone: pending and later calls reject
   * with card_removed, and the stale handle is released so a re-inserted card can be connected.
   */
  markRemoved(): void {
    if (this.#state !== 'open') return;
    this.#state = 'removed';
    this.#signalRemoval(this.#removedError());
    this.#release = this.#disconnect().catch(() => {}); // the card is gone; a failed release changes nothing
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#release ??= this.#disconnect();
    try {
      await this.#release;
    } catch (error) {
      if (wasOpen) throw error;
    }
  }

  async #disconnect(): Promise<void> {
    try {
      await callPcsc<void>(this.readerName, 'session', this.#timeoutMs, (callback) =>
        this.#reader.disconnect(SCARD_LEAVE_CARD, (error) => callback(error, undefined)),
      );
    } finally {
      this.#onReleased();
    }
  }

  async #session<T>(invoke: (callback: PcscCallback<T>) => void): Promise<T> {
    if (this.#state === 'removed') throw this.#removedError();
    if (this.#state === 'closed') throw new TransportError('transport_failed', `Connection to "${this.readerName}" is closed`);
    try {
      return await Promise.race([callPcsc(this.readerName, 'session', this.#timeoutMs, invoke), this.#removal]);
    } catch (error) {
      throw await this.#explain(error as TransportError);
    }
  }

  /**
   * A card pulled out mid-exchange often surfaces as a generic failure (vpcd: "Transaction failed",
   * 0x80100016) before pcscd's next presence poll marks it absent: wait briefly for that verdict.
   */
  async #explain(error: TransportError): Promise<TransportError> {
    if (error.code !== 'transport_failed') return error;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), REMOVAL_VERDICT_MS);
      timer.unref();
    });
    const removed = await Promise.race([this.#removal.catch(() => true), grace]);
    clearTimeout(timer);
    return removed ? this.#removedError() : error;
  }

  #removedError(): TransportError {
    return new TransportError('card_removed', `The card was removed from "${this.readerName}"`, { readerName: this.readerName });
  }
}

async function callPcsc<T>(
  readerName: string,
  phase: PcscPhase,
  timeoutMs: number,
  invoke: (callback: PcscCallback<T>) => void,
): Promise<T> {
  try {
    return await callWithTimeout(invoke, timeoutMs, () => new TransportError('timeout', `No answer from "${readerName}" within ${timeoutMs} ms`, { readerName, timeoutMs }));
  } catch (error) {
    throw toTransportError(error, readerName, phase);
  }
}
