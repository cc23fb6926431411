import { TransportError, type CardTerminal, type CardTransport, type ReaderInfo } from '../card-transport.js';
import { loadPcscLite } from './load-pcsclite.js';
import {
  SCARD_STATE_MUTE,
  SCARD_STATE_PRESENT,
  type PcscBinding,
  type PcscContext,
  type PcscReader,
  type PcscReaderStatus,
} from './pcsc-binding.js';
import { connectExclusive, PcscTransport } from './pcsc-transport.js';

export interface PcscTerminalOptions {
  /** Upper bound for one exchange with the card (and for connect/reset). Default 10 s (CIE 3.0 chip specification: timing — docs/references.md). */
  readonly timeoutMs?: number;
  /** The PC/SC binding; by default the optional `pcsclite` package. Tests pass a fake. */
  readonly binding?: PcscBinding;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface TrackedReader {
  readonly reader: PcscReader;
  status: PcscReaderStatus | undefined;
  /** Settles once the reader's first status (or its end) is known. */
  readonly firstStatus: Promise<void>;
  readonly statusKnown: () => void;
  /** Holder of the reader's one exclusive connection made by this process. */
  holder: 'connecting' | PcscTransport | undefined;
}

/** Card readers reached through PC/SC (pcscd on Linux). Open with `PcscTerminal.open()`. */
export class PcscTerminal implements CardTerminal {
  readonly #context: PcscContext;
  readonly #timeoutMs: number;
  readonly #readers = new Map<string, TrackedReader>();
  #failure: Error | undefined;
  #closed = false;

  private constructor(context: PcscContext, timeoutMs: number) {
    this.#context = context;
    this.#timeoutMs = timeoutMs;
    context.on('reader', (reader) => this.#track(reader));
    // The binding emits 'error' on close and when pcscd goes away; without a listener Node crashes.
    context.on('error', (error) => {
      if (!this.#closed) this.#failure = error;
    });
  }

  /** Rejects with `pcsc_unavailable` when the binding is missing or pcscd cannot be reached. */
  static async open(options: PcscTerminalOptions = {}): Promise<PcscTerminal> {
    const binding = options.binding ?? (await loadPcscLite());
    let context: PcscContext;
    try {
      context = binding();
    } catch (error) {
      throw new TransportError('pcsc_unavailable', 'The PC/SC service (pcscd) is not reachable', {}, { cause: error });
    }
    const terminal = new PcscTerminal(context, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      await terminal.#firstListing();
    } catch (error) {
      await terminal.close();
      throw error;
    }
    return terminal;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    this.#assertUsable();
    await this.#statusesKnown();
    return [...this.#readers.values()].map(({ reader, status }) => {
      const cardPresent = status !== undefined && isCardPresent(status.state);
      return { name: reader.name, cardPresent, atr: cardPresent ? status?.atr : undefined };
    });
  }

  async connect(readerName?: string): Promise<CardTransport> {
    this.#assertUsable();
    await this.#statusesKnown();
    const tracked = this.#pick(readerName);
    if (tracked.holder !== undefined) {
      throw new TransportError('card_busy', `The card in "${tracked.reader.name}" is already in use by this application`, {
        readerName: tracked.reader.name,
      });
    }
    tracked.holder = 'connecting';
    try {
      const protocol = await connectExclusive(tracked.reader, this.#timeoutMs);
      const transport = new PcscTransport(tracked.reader, protocol, tracked.status?.atr ?? new Uint8Array(), this.#timeoutMs, () => {
        if (tracked.holder === transport) tracked.holder = undefined;
      });
      tracked.holder = transport;
      return transport;
    } catch (error) {
      tracked.holder = undefined;
      throw error;
    }
  }

  /** Releases open connections, then stops every reader watcher and the context (else the process cannot exit). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const open = [...this.#readers.values()].flatMap(({ holder }) => (holder instanceof PcscTransport ? [holder] : []));
    await Promise.allSettled(open.map((transport) => transport.close()));
    for (const { reader } of this.#readers.values()) reader.close();
    this.#readers.clear();
    this.#context.close();
  }

  #firstListing(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#context.on('readers-listed', resolve);
      this.#context.on('error', (error) =>
        reject(new TransportError('pcsc_unavailable', 'The PC/SC service (pcscd) failed to list readers', {}, { cause: error })),
      );
    });
  }

  #track(reader: PcscReader): void {
    let statusKnown!: () => void;
    const firstStatus = new Promise<void>((resolve) => (statusKnown = resolve));
    const tracked: TrackedReader = { reader, status: undefined, firstStatus, statusKnown, holder: undefined };
    this.#readers.set(reader.name, tracked);
    reader.on('status', (status) => {
      tracked.status = status;
      statusKnown();
      if (!isCardPresent(status.state)) this.#cardGone(tracked);
    });
    reader.on('end', () => {
      statusKnown();
      this.#cardGone(tracked);
      if (this.#readers.get(reader.name) === tracked) this.#readers.delete(reader.name);
    });
    // A failing watcher ends the reader ('end' follows); the listener only keeps Node from crashing.
    reader.on('error', statusKnown);
  }

  #cardGone(tracked: TrackedReader): void {
    if (tracked.holder instanceof PcscTransport) tracked.holder.markRemoved();
  }

  #statusesKnown(): Promise<unknown> {
    return Promise.all([...this.#readers.values()].map(({ firstStatus }) => firstStatus));
  }

  #pick(readerName: string | undefined): TrackedReader {
    if (readerName !== undefined) {
      const tracked = this.#readers.get(readerName);
      if (!tracked) throw new TransportError('no_reader', `No reader named "${readerName}"`, { readerName });
      return tracked;
    }
    if (this.#readers.size === 0) throw new TransportError('no_reader', 'No card reader is connected');
    const withCard = [...this.#readers.values()].find(({ status }) => status !== undefined && isCardPresent(status.state));
    if (!withCard) throw new TransportError('no_card', 'No reader has a card in it');
    return withCard;
  }

  #assertUsable(): void {
    if (this.#closed) throw new TransportError('transport_failed', 'The PC/SC terminal is closed');
    if (this.#failure) {
      throw new TransportError('pcsc_unavailable', 'The PC/SC service (pcscd) stopped answering', {}, { cause: this.#failure });
    }
  }
}

function isCardPresent(state: number): boolean {
  return (state & SCARD_STATE_PRESENT) !== 0 && (state & SCARD_STATE_MUTE) === 0;
}
