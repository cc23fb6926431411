import { performance } from 'node:perf_hooks';
import { VirtualCieCard } from '../../src/simulator/card/index.js';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import type { BenchEnvironment } from './bench-environment.js';
import { LoginSampler, type CardPath } from './card-logins.js';
import { startPcscStack } from '../../test/support/pcsc-stack.js';
import { summarize, type Summary } from './statistics.js';
import { TimedCardPort } from './timed-card-port.js';

export interface PcscPath extends CardPath {
  /** Round trips of one short plain APDU minus the card's time: the bare transport, ms. */
  measureRoundTrips(count: number): Promise<Summary>;
}

const CARD_PRESENT_TIMEOUT_MS = 5_000;
/** SELECT DF_CIE by AID, plain: a cheap command the card answers with 90 00 at any time. */
const SELECT_DF_CIE = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x06, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x39);

/** Part 2: the same card through pcsclite → pcscd → vpcd (private quick-ACK namespace). Throws why when unavailable. */
export async function openPcscPath(environment: BenchEnvironment): Promise<PcscPath> {
  const stack = await startPcscStack();
  const card = new TimedCardPort(new VirtualCieCard(environment.card));
  let terminal: PcscTerminal | undefined;
  const close = async () => {
    await terminal?.close();
    await stack.stop();
  };
  try {
    await stack.insertCard(card);
    terminal = await PcscTerminal.open();
    await waitForCard(terminal, stack.readerName);
  } catch (error) {
    await close();
    throw error;
  }
  const opened = terminal;
  return {
    sampler: new LoginSampler(opened, card, environment.deviceAuthKeys, stack.readerName),
    measureRoundTrips: (count) => measureRoundTrips(opened, card, stack.readerName, count),
    close,
  };
}

/** vpcd sees the card (asks for its ATR) before pcscd reports it present; connecting in between fails. */
async function waitForCard(terminal: PcscTerminal, readerName: string): Promise<void> {
  const deadline = Date.now() + CARD_PRESENT_TIMEOUT_MS;
  while (!(await terminal.listReaders()).some((reader) => reader.name === readerName && reader.cardPresent)) {
    if (Date.now() > deadline) throw new Error(`pcscd did not report the card in "${readerName}" within ${CARD_PRESENT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measureRoundTrips(terminal: PcscTerminal, card: TimedCardPort, readerName: string, count: number): Promise<Summary> {
  const transport = await terminal.connect(readerName);
  try {
    const samples: number[] = [];
    for (let index = 0; index < count; index++) {
      const cardBefore = card.cardMs;
      const start = performance.now();
      const response = await transport.transmit(SELECT_DF_CIE);
      samples.push(performance.now() - start - (card.cardMs - cardBefore));
      if (response.length !== 2 || response[0] !== 0x90 || response[1] !== 0x00) throw new Error('SELECT DF_CIE did not answer 90 00');
    }
    return summarize(samples);
  } finally {
    await transport.close();
  }
}
