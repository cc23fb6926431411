import { performance } from 'node:perf_hooks';
import type { VirtualCardPort } from '../../src/simulator/virtual-card-port.js';

/**
 * A virtual card that adds up the time spent inside its own `transmit`: what a real chip would
 * spend computing, as opposed to the host's protocol work and the transport in between.
 */
export class TimedCardPort implements VirtualCardPort {
  /** Milliseconds spent in `transmit` since construction. */
  cardMs = 0;

  constructor(private readonly card: VirtualCardPort) {}

  get atr(): Uint8Array {
    return this.card.atr;
  }

  transmit(command: Uint8Array): Uint8Array {
    const start = performance.now();
    try {
      return this.card.transmit(command);
    } finally {
      this.cardMs += performance.now() - start;
    }
  }

  reset(): void {
    this.card.reset();
  }

  powerOff(): void {
    this.card.powerOff();
  }

  powerOn(): void {
    this.card.powerOn();
  }
}
