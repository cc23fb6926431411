import { startPcscStack, type PcscStack } from '../../src/simulator/pcsc-stack.js';
import { VirtualCieCard } from '../../src/simulator/card/virtual-cie-card.js';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import type { CardTransport } from '../../src/transport/card-transport.js';
import { fromHex, toHex } from '../../src/simulator/card/bytes.js';
import { traceCard, vectors } from '../simulator/card/vectors.js';

// A generic PC/SC host: raw APDUs through pcsclite → pcscd → vpcd → the virtual card, one answer per
// command, no GET RESPONSE sent on its behalf.
const plain = vectors.cie_end_to_end_trace.dh.plain_apdus;
let stack: PcscStack;
let terminal: PcscTerminal;
let transport: CardTransport;

beforeAll(async () => {
  stack = await startPcscStack();
  terminal = await PcscTerminal.open({ timeoutMs: 5_000 });
  await stack.insertCard(new VirtualCieCard(traceCard()));
  for (;;) {
    const reader = (await terminal.listReaders()).find(({ name }) => name === stack.readerName);
    if (reader?.cardPresent) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  transport = await terminal.connect(stack.readerName);
});

afterAll(async () => {
  await transport?.close();
  await terminal?.close();
  await stack?.stop();
});

const send = async (apdu: string) => toHex(await transport.transmit(fromHex(apdu)));

test('GET DATA without Le (the middleware form) returns all 274 bytes of g in one answer', async () => {
  expect(await send('00A4040C0DA0000000308000000009816001')).toBe('9000');
  expect(await send('00A4040C06A00000000039')).toBe('9000');
  expect(await send(plain.get_data_g)).toBe(`${plain.get_data_g_response_data}9000`);
});
