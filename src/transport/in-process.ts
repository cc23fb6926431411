import type { VirtualCardPort } from '../simulator/virtual-card-port.js';
import { TransportError, type CardTerminal, type CardTransport, type ReaderInfo } from './card-transport.js';

export const IN_PROCESS_READER_NAME = 'CIE Virtual Reader (in-process)';

/**
 * One virtual reader in this process. A software card can be inserted and pulled out at any time,
 * like a real card, so callers exercise the same removal and busy paths as with PC/SC.
 */
export class InProcessTerminal implements CardTerminal {
  #card: VirtualCardPort | undefined;
  #open: InProcessTransport | undefined;
  #closed = false;

  constructor(card?: VirtualCardPort) {
    if (card) this.insert(card);
  }

  /** Puts a card into the reader (pulling out the previous one, if any) and powers it on. */
  insert(card: VirtualCardPort): void {
    this.remove();
    card.powerOn();
    this.#card = card;
  }

  /** Pulls the card out: the open transport's pending and later calls reject with card_removed. */
  remove(): void {
    this.#open?.markRemoved();
    this.#open = undefined;
    this.#card?.powerOff();
    this.#card = undefined;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    this.#assertOpen();
    const card = this.#card;
    return [{ name: IN_PROCESS_READER_NAME, cardPresent: card !== undefined, atr: card?.atr }];
  }

  async connect(readerName?: string): Promise<CardTransport> {
    this.#assertOpen();
    if (readerName !== undefined && readerName !== IN_PROCESS_READER_NAME) {
      throw new TransportError('no_reader', `No reader named "${readerName}"`, { readerName });
    }
    if (!this.#card) throw new TransportError('no_card', `No card in "${IN_PROCESS_READER_NAME}"`);
    if (this.#open) throw new TransportError('card_busy', `The card in "${IN_PROCESS_READER_NAME}" is already in use`);
    const transport = new InProcessTransport(this.#card, () => {
      if (this.#open === transport) this.#open = undefined;
    });
    this.#open = transport;
    return transport;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#open?.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new TransportError('transport_failed', 'The in-process terminal is closed');
  }
}

class InProcessTransport implements CardTransport {
  readonly readerName = IN_PROCESS_READER_NAME;
  readonly atr: Uint8Array;
  readonly #card: VirtualCardPort;
  readonly #onClosed: () => void;
  #state: 'open' | 'removed' | 'closed' = 'open';

  constructor(card: VirtualCardPort, onClosed: () => void) {
    this.#card = card;
    this.atr = card.atr;
    this.#onClosed = onClosed;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    this.#assertUsable();
    // Answer asynchronously, like a real reader: a removal in between must still win.
    await new Promise((resolve) => setImmediate(resolve));
    this.#assertUsable();
    return this.#card.transmit(command);
  }

  async reset(): Promise<void> {
    this.#assertUsable();
    this.#card.reset();
  }

  markRemoved(): void {
    if (this.#state === 'open') this.#state = 'removed';
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#onClosed();
  }

  #assertUsable(): void {
    if (this.#state === 'removed') throw new TransportError('card_removed', `The card was removed from "${this.readerName}"`);
    if (this.#state === 'closed') throw new TransportError('transport_failed', `Connection to "${this.readerName}" is closed`);
  }
}
