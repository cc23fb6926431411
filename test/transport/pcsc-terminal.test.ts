import { jest } from '@jest/globals';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import { TransportError } from '../../src/transport/card-transport.js';
import { FakeContext, FakeReader, PROTOCOL_T1, STATE_EMPTY, STATE_PRESENT, fakeBinding } from './fake-pcsc-binding.js';

const ATR = Uint8Array.from([0x3b, 0x8f, 0x80, 0x01]);
const SELECT = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x02, 0x3f, 0x00]);
const EXCLUSIVE = 1;
const LEAVE_CARD = 0;
const RESET_CARD = 1;

async function openWith(readers: { reader: FakeReader; state: number; atr?: Uint8Array }[], timeoutMs = 10_000) {
  const { binding, contexts } = fakeBinding(readers);
  const terminal = await PcscTerminal.open({ binding, timeoutMs });
  return { terminal, context: contexts[0] as FakeContext };
}

function cardReader(name = 'Reader A'): FakeReader {
  return new FakeReader(name);
}

describe('opening', () => {
  test('pcsc_unavailable when the service cannot be reached', async () => {
    const binding = () => {
      throw new Error('SCardEstablishContext error: Service not available.(0x8010001d)');
    };
    await expect(PcscTerminal.open({ binding })).rejects.toMatchObject({ code: 'pcsc_unavailable' });
  });

  test('pcsc_unavailable when listing readers fails, and the context is closed', async () => {
    const context = new FakeContext();
    setImmediate(() => context.emit('error', new Error('SCardListReaders error: Service was stopped.(0x8010001e)')));
    const error = await PcscTerminal.open({ binding: () => context }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'pcsc_unavailable' });
    expect(context.closed).toBe(true);
  });

  test('pcsc_unavailable, not a crash, when the pcsclite package cannot be loaded', async () => {
    jest.unstable_mockModule('pcsclite', () => {
      throw new Error('Cannot find module pcsclite');
    });
    const { PcscTerminal: Isolated } = await import('../../src/transport/pcsc/pcsc-terminal.js?missing-pcsclite' as string);
    await expect((Isolated as typeof PcscTerminal).open()).rejects.toMatchObject({
      code: 'pcsc_unavailable',
      message: expect.stringContaining('"pcsclite" is not installed'),
    });
  });
});

describe('readers', () => {
  test('lists readers with card presence and ATR, once their first status is known', async () => {
    const { terminal } = await openWith([
      { reader: cardReader('Reader A'), state: STATE_EMPTY },
      { reader: cardReader('Reader B'), state: STATE_PRESENT, atr: ATR },
    ]);
    expect(await terminal.listReaders()).toEqual([
      { name: 'Reader A', cardPresent: false, atr: undefined },
      { name: 'Reader B', cardPresent: true, atr: Buffer.from(ATR) },
    ]);
    await terminal.close();
  });

  test('follows readers that appear and disappear', async () => {
    const first = cardReader('Reader A');
    const { terminal, context } = await openWith([{ reader: first, state: STATE_EMPTY }]);
    const plugged = cardReader('Reader B');
    context.list([{ reader: plugged, state: STATE_PRESENT, atr: ATR }]);
    expect((await terminal.listReaders()).map(({ name }) => name)).toEqual(['Reader A', 'Reader B']);
    first.emit('end');
    expect((await terminal.listReaders()).map(({ name }) => name)).toEqual(['Reader B']);
    await terminal.close();
  });

  test('no_reader without readers or for an unknown name; no_card when no reader has one', async () => {
    const empty = await openWith([]);
    await expect(empty.terminal.connect()).rejects.toMatchObject({ code: 'no_reader' });
    await empty.terminal.close();
    const { terminal } = await openWith([{ reader: cardReader(), state: STATE_EMPTY }]);
    await expect(terminal.connect()).rejects.toMatchObject({ code: 'no_card' });
    await expect(terminal.connect('Nope')).rejects.toMatchObject({ code: 'no_reader' });
    await terminal.close();
  });
});

describe('connections', () => {
  test('connects exclusively to the first reader with a card and transmits', async () => {
    const withCard = cardReader('Reader B');
    const { terminal } = await openWith([
      { reader: cardReader('Reader A'), state: STATE_EMPTY },
      { reader: withCard, state: STATE_PRESENT, atr: ATR },
    ]);
    const transport = await terminal.connect();
    expect(transport.readerName).toBe('Reader B');
    expect(Buffer.from(transport.atr)).toEqual(Buffer.from(ATR));
    expect(Buffer.from(await transport.transmit(SELECT)).toString('hex')).toBe('9000');
    await transport.close();
    await transport.close();
    expect(withCard.calls).toEqual([
      `connect share=${EXCLUSIVE} protocol=3`,
      `transmit 00a40400023f00 max=65538 protocol=${PROTOCOL_T1}`,
      `disconnect ${LEAVE_CARD}`,
    ]);
    await terminal.close();
  });

  test('card_busy for a second connection from this process, and from another application', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const transport = await terminal.connect('Reader A');
    await expect(terminal.connect('Reader A')).rejects.toMatchObject({ code: 'card_busy' });
    await transport.close();
    reader.connectAnswer = { error: new Error('SCardConnect error: Sharing violation.(0x8010000b)') };
    await expect(terminal.connect('Reader A')).rejects.toMatchObject({ code: 'card_busy' });
    reader.connectAnswer = { value: PROTOCOL_T1 };
    await (await terminal.connect('Reader A')).close();
    await terminal.close();
  });

  test('an exchange without an answer fails with timeout', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }], 50);
    const transport = await terminal.connect();
    reader.transmitAnswer = () => 'never';
    await expect(transport.transmit(SELECT)).rejects.toMatchObject({ code: 'timeout' });
    await terminal.close();
  });

  test('reset reconnects exclusively with SCARD_RESET_CARD', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const transport = await terminal.connect();
    await transport.reset();
    expect(reader.calls.slice(1)).toEqual([`disconnect ${RESET_CARD}`, `connect share=${EXCLUSIVE} protocol=3`]);
    await terminal.close();
  });
});

describe('card removal', () => {
  test('the reader reporting the card gone fails the in-flight exchange and releases the handle', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const transport = await terminal.connect();
    reader.transmitAnswer = () => 'never';
    const inFlight = transport.transmit(SELECT);
    reader.report(STATE_EMPTY);
    await expect(inFlight).rejects.toMatchObject({ code: 'card_removed' });
    await expect(transport.transmit(SELECT)).rejects.toMatchObject({ code: 'card_removed' });
    await transport.close();
    expect(reader.calls.at(-1)).toBe(`disconnect ${LEAVE_CARD}`);

    reader.transmitAnswer = () => ({ value: Buffer.from([0x90, 0x00]) });
    reader.report(STATE_PRESENT, ATR);
    const again = await terminal.connect();
    expect(Buffer.from(await again.transmit(SELECT)).toString('hex')).toBe('9000');
    await terminal.close();
  });

  test('PC/SC removal codes and empty answers map to card_removed', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const removedByCode = await terminal.connect();
    reader.transmitAnswer = () => ({ error: new Error('SCardTransmit error: Card was removed.(0x80100069)') });
    await expect(removedByCode.transmit(SELECT)).rejects.toMatchObject({ code: 'card_removed' });
    await removedByCode.close();

    const silent = await terminal.connect();
    reader.transmitAnswer = () => ({ value: Buffer.alloc(0) });
    await expect(silent.transmit(SELECT)).rejects.toMatchObject({ code: 'card_removed' });
    await expect(silent.transmit(SELECT)).rejects.toMatchObject({ code: 'card_removed' });
    await terminal.close();
  });

  test('a generic failure followed by the reader reporting the card gone is card_removed', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const transport = await terminal.connect();
    reader.transmitAnswer = () => {
      setImmediate(() => setImmediate(() => reader.report(STATE_EMPTY)));
      return { error: new Error('SCardTransmit error: Transaction failed.(0x80100016)') };
    };
    await expect(transport.transmit(SELECT)).rejects.toMatchObject({ code: 'card_removed' });
    await terminal.close();
  });

  test('other binding failures, the card staying present, become transport_failed', async () => {
    const reader = cardReader();
    const { terminal } = await openWith([{ reader, state: STATE_PRESENT, atr: ATR }]);
    const transport = await terminal.connect();
    reader.transmitAnswer = () => ({ error: new Error('SCardTransmit error: Card is unresponsive.(0x80100066)') });
    await expect(transport.transmit(SELECT)).rejects.toMatchObject({ code: 'transport_failed' });
    await terminal.close();
  });
});

test('close releases connections, stops every reader watcher and the context, and survives its error event', async () => {
  const readers = [cardReader('Reader A'), cardReader('Reader B')];
  const { terminal, context } = await openWith(readers.map((reader) => ({ reader, state: STATE_PRESENT, atr: ATR })));
  const transport = await terminal.connect('Reader A');
  await terminal.close();
  expect(readers.map(({ closed }) => closed)).toEqual([true, true]);
  expect(context.closed).toBe(true);
  expect(readers[0]?.calls.at(-1)).toBe(`disconnect ${LEAVE_CARD}`);
  await expect(transport.transmit(SELECT)).rejects.toMatchObject({ code: 'transport_failed' });
  await expect(terminal.listReaders()).rejects.toMatchObject({ code: 'transport_failed' });
  await terminal.close();
});
