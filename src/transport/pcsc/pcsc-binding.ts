/**
 * The small part of the `pcsclite` npm package this project uses, typed by us: the package's own
 * typings do not export their interfaces, and tests inject a fake binding through this facade.
 */

export type PcscCallback<T> = (error: Error | null | undefined, value: T) => void;

export interface PcscReaderStatus {
  /** SCARD_STATE_* bits (the upper 16 bits carry pcscd's event counter). */
  readonly state: number;
  readonly atr?: Uint8Array;
}

/** One reader as `pcsclite` exposes it (`CardReader`). */
export interface PcscReader {
  readonly name: string;
  on(event: 'status', listener: (status: PcscReaderStatus) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  connect(options: { share_mode: number; protocol: number }, callback: PcscCallback<number>): void;
  disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void;
  transmit(command: Buffer, maxResponseLength: number, protocol: number, callback: PcscCallback<Buffer>): void;
  /** Stops the reader's status-watcher thread (without this the process cannot exit). */
  close(): void;
}

/** One PC/SC context (`pcsclite()`), adapted so that the end of each reader listing is observable. */
export interface PcscContext {
  on(event: 'reader', listener: (reader: PcscReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  /** Emitted after every reader listing, once all of its new readers were announced. */
  on(event: 'readers-listed', listener: () => void): this;
  close(): void;
}

/** Creates a context; throws when the PC/SC service cannot be reached. */
export type PcscBinding = () => PcscContext;

// Values of pcsc-lite's winscard constants (identical on Windows and macOS).
export const SCARD_SHARE_EXCLUSIVE = 0x0001;
export const SCARD_PROTOCOL_T0 = 0x0001;
export const SCARD_PROTOCOL_T1 = 0x0002;
export const SCARD_LEAVE_CARD = 0x0000;
export const SCARD_RESET_CARD = 0x0001;
export const SCARD_STATE_EMPTY = 0x0010;
export const SCARD_STATE_PRESENT = 0x0020;
export const SCARD_STATE_MUTE = 0x0200;
