import { PCSC_STACK_START_TIMEOUT_MS, startPcscStack, type PcscStack } from '../support/pcsc-stack.js';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import type { CardTransport, ReaderInfo } from '../../src/transport/card-transport.js';
import { GET_CHALLENGE, SELECT_IAS, TINY_CARD_ATR, TinyCard } from './tiny-card.js';

// Through the real stack: pcscd + vpcd (private netns) + pcsclite + the vpcd connector.
let stack: PcscStack;
let terminal: PcscTerminal;

beforeAll(async () => {
  stack = await startPcscStack();
  terminal = await PcscTerminal.open({ timeoutMs: 5_000 });
}, PCSC_STACK_START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await terminal?.close();
  await stack?.stop();
});

async function readerState(): Promise<ReaderInfo | undefined> {
  return (await terminal.listReaders()).find(({ name }) => name === stack.readerName);
}

/** Polls until pcscd's 400 ms presence poll has reported the change to our reader watcher. */
async function waitForCardPresent(present: boolean): Promise<ReaderInfo> {
  for (;;) {
    const reader = await readerState();
    if (reader && reader.cardPresent === present) return reader;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

test('lists the private vpcd readers, without a card', async () => {
  const names = (await terminal.listReaders()).map(({ name }) => name);
  expect(names).toEqual(expect.arrayContaining([stack.readerName, 'CIE Test PCD 00 01']));
  expect((await readerState())?.cardPresent).toBe(false);
  await expect(terminal.connect()).rejects.toMatchObject({ code: 'no_card' });
});

describe('with a card inserted', () => {
  let card: TinyCard;
  let transport: CardTransport | undefined;

  beforeEach(async () => {
    card = new TinyCard();
    await stack.insertCard(card);
    await waitForCardPresent(true);
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await stack.removeCard();
    await waitForCardPresent(false);
  });

  test('reports the ATR and carries APDUs both ways', async () => {
    expect(hex((await readerState())?.atr ?? new Uint8Array())).toBe(hex(TINY_CARD_ATR));
    transport = await terminal.connect(stack.readerName);
    expect(hex(transport.atr)).toBe(hex(TINY_CARD_ATR));
    expect(hex(await transport.transmit(SELECT_IAS))).toBe('9000');
    const challenge = await transport.transmit(GET_CHALLENGE);
    expect(challenge).toHaveLength(10);
    expect(hex(challenge.subarray(8))).toBe('9000');
    expect(card.received.map(hex)).toEqual([hex(SELECT_IAS), hex(GET_CHALLENGE)]);

    const roundTrips: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const started = process.hrtime.bigint();
      await transport.transmit(GET_CHALLENGE);
      roundTrips.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    roundTrips.sort((a, b) => a - b);
    console.info(`PC/SC APDU round trip over ${roundTrips.length}: median ${roundTrips[100]?.toFixed(3)} ms, max ${roundTrips.at(-1)?.toFixed(3)} ms`);
  });

  test('holds the card exclusively: a second connection is refused', async () => {
    transport = await terminal.connect(stack.readerName);
    await expect(terminal.connect(stack.readerName)).rejects.toMatchObject({ code: 'card_busy' });
  });

  test('reset makes the card drop its state and the connection stays usable', async () => {
    transport = await terminal.connect();
    await transport.transmit(SELECT_IAS);
    expect(card.selected).toBe(true);
    await transport.reset();
    expect(card.selected).toBe(false);
    expect(hex(await transport.transmit(SELECT_IAS))).toBe('9000');
  });

  test('a card pulled out mid-session fails with card_removed; a re-inserted card works again', async () => {
    transport = await terminal.connect(stack.readerName);
    expect(hex(await transport.transmit(SELECT_IAS))).toBe('9000');
    await stack.removeCard();
    await expect(transport.transmit(GET_CHALLENGE)).rejects.toMatchObject({ code: 'card_removed' });
    await waitForCardPresent(false);
    await transport.close();

    card = new TinyCard();
    await stack.insertCard(card);
    await waitForCardPresent(true);
    transport = await terminal.connect(stack.readerName);
    expect(hex(await transport.transmit(SELECT_IAS))).toBe('9000');
  });
});
