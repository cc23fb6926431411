import { PCSC_STACK_START_TIMEOUT_MS, startPcscStack, type PcscStack } from '../support/pcsc-stack.js';
import { VirtualCieCard } from '../../src/simulator/card/virtual-cie-card.js';
import { PcscTerminal } from '../../src/transport/pcsc/pcsc-terminal.js';
import type { CardTransport } from '../../src/transport/card-transport.js';
import { fromHex, toHex } from '../../src/simulator/card/bytes.js';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { CieCard } from '../../src/card/cie-card.js';
import { parseDeviceAuthKeys } from '../../src/card/device-auth-keys.js';
import { verifyNisAuthentication } from '../../src/cie/nis/index.js';
import { serializeDeviceAuthKeys } from '../../src/simulator/card/device-auth-keys.js';
import { mintSodCard, type SodCard } from '../simulator/card/sod-fixture.js';
import { vectors } from '../simulator/card/vectors.js';

// A generic PC/SC host: raw APDUs through pcsclite → pcscd → vpcd → the virtual card, one answer per
// command, no GET RESPONSE sent on its behalf.
const plain = vectors.cie_end_to_end_trace.dh.plain_apdus;
let stack: PcscStack;
let terminal: PcscTerminal;
let transport: CardTransport;
let minted: SodCard;

beforeAll(async () => {
  minted = await mintSodCard();
  stack = await startPcscStack();
  terminal = await PcscTerminal.open({ timeoutMs: 5_000 });
  await stack.insertCard(new VirtualCieCard(minted.card));
  for (;;) {
    const reader = (await terminal.listReaders()).find(({ name }) => name === stack.readerName);
    if (reader?.cardPresent) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  transport = await terminal.connect(stack.readerName);
}, PCSC_STACK_START_TIMEOUT_MS + 60_000); // + minting the card (key generation)

afterAll(async () => {
  await transport?.close();
  await terminal?.close();
  await stack?.stop();
  if (minted) await rm(minted.dir, { recursive: true, force: true });
});

const send = async (apdu: string) => toHex(await transport.transmit(fromHex(apdu)));

test('GET DATA without Le (the middleware form) returns all 274 bytes of g in one answer', async () => {
  expect(await send('00A4040C0DA0000000308000000009816001')).toBe('9000');
  expect(await send('00A4040C06A00000000039')).toBe('9000');
  expect(await send(plain.get_data_g)).toBe(`${plain.get_data_g_response_data}9000`);
});

test('EF.SOD is a plain file: SELECT 10 06 with Le gives its FCP, READ BINARY by SFI 86 its first bytes', async () => {
  const size = minted.card.sod!.length.toString(16).padStart(4, '0').toUpperCase();
  expect(await send('00A4020402100600')).toBe(`620B8002${size}820101830210069000`);
  expect(await send('00B0860004')).toBe(`${toHex(minted.card.sod!.subarray(0, 4))}9000`);
});

test('NIS authentication through the PC/SC stack: the host reads the evidence and it verifies against the CSCA', async () => {
  const deviceAuthKeys = parseDeviceAuthKeys(JSON.parse(serializeDeviceAuthKeys(minted.deviceKeys)));
  const challenge = randomBytes(16);
  const evidence = await new CieCard(transport, { deviceAuthKeys }).readNisEvidence(challenge);
  const verified = await verifyNisAuthentication(evidence, { challenge, trustedCscas: [new Uint8Array(minted.signer.cscaCertificate.rawData)] });
  expect(verified.nis).toBe(minted.card.nis);
});
