import { performance } from 'node:perf_hooks';
import type { CardTerminal, CardTransport, ReaderInfo } from '../../src/transport/card-transport.js';

/**
 * A card terminal whose connections add up the wall time of every `transmit`, from the host's call
 * to its answer: the card's own time plus whatever carries the APDU (PC/SC, or one event-loop turn
 * in process). Subtracting it from a login leaves the host's protocol work.
 */
export class TimedTerminal implements CardTerminal {
  /** Milliseconds spent waiting for `transmit` answers since construction. */
  transmitMs = 0;

  constructor(private readonly terminal: CardTerminal) {}

  listReaders(): Promise<ReaderInfo[]> {
    return this.terminal.listReaders();
  }

  async connect(readerName?: string): Promise<CardTransport> {
    const transport = await this.terminal.connect(readerName);
    const addTime = (ms: number) => (this.transmitMs += ms);
    return {
      atr: transport.atr,
      readerName: transport.readerName,
      async transmit(command) {
        const start = performance.now();
        try {
          return await transport.transmit(command);
        } finally {
          addTime(performance.now() - start);
        }
      },
      reset: () => transport.reset(),
      close: () => transport.close(),
    };
  }

  close(): Promise<void> {
    return this.terminal.close();
  }
}
