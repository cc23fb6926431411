import { IN_PROCESS_READER_NAME, InProcessTerminal } from '../../src/transport/in-process.js';
import { GET_CHALLENGE, SELECT_IAS, TINY_CARD_ATR, TinyCard } from './tiny-card.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('lists its one reader with the inserted card and its ATR', async () => {
  const terminal = new InProcessTerminal();
  expect(await terminal.listReaders()).toEqual([{ name: IN_PROCESS_READER_NAME, cardPresent: false, atr: undefined }]);
  terminal.insert(new TinyCard());
  expect(await terminal.listReaders()).toEqual([{ name: IN_PROCESS_READER_NAME, cardPresent: true, atr: TINY_CARD_ATR }]);
});

test('carries APDUs to the card and back', async () => {
  const card = new TinyCard();
  const transport = await new InProcessTerminal(card).connect();
  expect(transport.readerName).toBe(IN_PROCESS_READER_NAME);
  expect(transport.atr).toEqual(TINY_CARD_ATR);
  expect(hex(await transport.transmit(SELECT_IAS))).toBe('9000');
  expect(await transport.transmit(GET_CHALLENGE)).toHaveLength(10);
  expect(card.received).toEqual([SELECT_IAS, GET_CHALLENGE]);
});

test('refuses to connect without a card or to an unknown reader', async () => {
  const terminal = new InProcessTerminal();
  await expect(terminal.connect()).rejects.toMatchObject({ code: 'no_card' });
  terminal.insert(new TinyCard());
  await expect(terminal.connect('Other reader')).rejects.toMatchObject({ code: 'no_reader' });
});

test('is exclusive: a second connection is refused until the first is closed', async () => {
  const terminal = new InProcessTerminal(new TinyCard());
  const first = await terminal.connect(IN_PROCESS_READER_NAME);
  await expect(terminal.connect()).rejects.toMatchObject({ code: 'card_busy' });
  await first.close();
  await first.close();
  const second = await terminal.connect();
  expect(hex(await second.transmit(SELECT_IAS))).toBe('9000');
  await expect(first.transmit(SELECT_IAS)).rejects.toMatchObject({ code: 'transport_failed' });
});

test('a card pulled out fails the in-flight and later exchanges with card_removed', async () => {
  const card = new TinyCard();
  const terminal = new InProcessTerminal(card);
  const transport = await terminal.connect();
  const inFlight = transport.transmit(SELECT_IAS);
  terminal.remove();
  await expect(inFlight).rejects.toMatchObject({ code: 'card_removed' });
  await expect(transport.transmit(SELECT_IAS)).rejects.toMatchObject({ code: 'card_removed' });
  await expect(transport.reset()).rejects.toMatchObject({ code: 'card_removed' });
  expect(card.received).toEqual([]);
  expect(card.powerOffs).toBe(1);
});

test('a re-inserted card can be connected again while the old connection stays dead', async () => {
  const terminal = new InProcessTerminal(new TinyCard());
  const old = await terminal.connect();
  terminal.remove();
  const card = new TinyCard();
  terminal.insert(card);
  expect(card.powerOns).toBe(1);
  const fresh = await terminal.connect();
  expect(hex(await fresh.transmit(SELECT_IAS))).toBe('9000');
  await expect(old.transmit(SELECT_IAS)).rejects.toMatchObject({ code: 'card_removed' });
  await old.close();
  await expect(terminal.connect()).rejects.toMatchObject({ code: 'card_busy' });
});

test('reset clears the card state', async () => {
  const card = new TinyCard();
  const transport = await new InProcessTerminal(card).connect();
  await transport.transmit(SELECT_IAS);
  expect(card.selected).toBe(true);
  await transport.reset();
  expect(card.selected).toBe(false);
  expect(card.resets).toBe(1);
});

test('a closed terminal releases its connection and refuses new work', async () => {
  const terminal = new InProcessTerminal(new TinyCard());
  const transport = await terminal.connect();
  await terminal.close();
  await expect(transport.transmit(SELECT_IAS)).rejects.toMatchObject({ code: 'transport_failed' });
  await expect(terminal.listReaders()).rejects.toMatchObject({ code: 'transport_failed' });
});
