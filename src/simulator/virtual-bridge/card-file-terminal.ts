import { CodedError } from '../../shared/coded-error.js';
import { lockCardFile, openCardFile, VirtualCardError, type CardFileLock, type VirtualCieCard } from '../card/index.js';
import { TransportError, type CardTerminal, type CardTransport, type ReaderInfo } from '../../transport/card-transport.js';
import { InProcessTerminal } from '../../transport/in-process.js';

/**
 * The in-process reader of a virtual card file, safe when several programs use the same file (the
 * running bridge and `cie-bridge pin change`): every card session holds the file's lock, starts
 * from the file as it is now (never from a copy kept in memory), and the card writes each change
 * back atomically (temporary file + rename) before the lock is released.
 */
export class CardFileTerminal implements CardTerminal {
  readonly #reader = new InProcessTerminal();
  #path: string;
  #pulled = false;

  /** Reads the file once at once, so a missing or broken card file is reported at start. */
  constructor(path: string) {
    this.#path = path;
    this.#reader.insert(readCardFile(path));
  }

  /** Puts another card file into the reader (tests: a fresh card per scenario). */
  insertFile(path: string): void {
    this.#reader.insert(readCardFile(path));
    this.#path = path;
    this.#pulled = false;
  }

  /** Pulls the card out (tests): the session under way fails with card_removed, later ones with no_card until `insertFile`. */
  remove(): void {
    this.#pulled = true;
    this.#reader.remove();
  }

  listReaders(): Promise<ReaderInfo[]> {
    return this.#reader.listReaders();
  }

  async connect(readerName?: string): Promise<CardTransport> {
    if (this.#pulled) throw new TransportError('no_card', 'No card in the virtual reader');
    const path = this.#path;
    const lock = await lockOrBusy(path);
    try {
      // Another program may have changed the PIN, a counter or the blocked flag since our last session.
      this.#reader.insert(readCardFile(path));
      return new LockedTransport(await this.#reader.connect(readerName), lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}

/** A card file that is missing or broken, by the code the bridge's messages know (the file and its setting). */
export class VirtualCardFileError extends CodedError<'virtual_card_unreadable'> {}

function readCardFile(path: string): VirtualCieCard {
  try {
    return openCardFile(path);
  } catch (error) {
    if (error instanceof VirtualCardError && (error.code === 'card_file_unreadable' || error.code === 'card_file_invalid')) {
      throw new VirtualCardFileError('virtual_card_unreadable', `The virtual card file cannot be used: ${path}`, { path }, { cause: error });
    }
    throw error;
  }
}

async function lockOrBusy(path: string): Promise<CardFileLock> {
  try {
    return await lockCardFile(path);
  } catch (error) {
    if (error instanceof VirtualCardError && error.code === 'card_file_busy') {
      throw new TransportError('card_busy', 'The virtual card is in use by another program', { path }, { cause: error });
    }
    throw error;
  }
}

/**
 * A session on the card that releases the card file's lock when it closes. If another program took
 * the lock over meanwhile (it was held past its staleness time), no further command reaches the
 * card: its writes would interleave with that program's.
 */
class LockedTransport implements CardTransport {
  readonly atr: Uint8Array;
  readonly readerName: string;
  #lock: CardFileLock | undefined;

  constructor(private readonly inner: CardTransport, lock: CardFileLock) {
    this.atr = inner.atr;
    this.readerName = inner.readerName;
    this.#lock = lock;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (!this.#lock?.held()) return Promise.reject(new TransportError('card_busy', 'The virtual card was taken over by another program'));
    return this.inner.transmit(command);
  }

  reset(): Promise<void> {
    return this.inner.reset();
  }

  async close(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    try {
      await this.inner.close();
    } finally {
      await lock?.release();
    }
  }
}
