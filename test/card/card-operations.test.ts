import { createHash } from 'node:crypto';
import { encodeTlv } from '../../src/card/ber-tlv.js';
import { asciiBytes, bytesToHex, concatBytes } from '../../src/card/bytes.js';
import { CieCard } from '../../src/card/cie-card.js';
import { unwrapCommand, wrapResponse } from './support/card-side-sm.js';
import { type ScriptStep, ScriptedTransport, ok } from './support/scripted-transport.js';
import {
  CERTIFICATE,
  SIGNED_MESSAGE,
  STM3_ATR,
  TRACE_PIN,
  certificateReads,
  fullTraceScript,
  stepIndex,
  testDeviceAuthKeys,
  trace,
  traceKeys,
  traceRandom,
} from './support/trace-script.js';
import { hex } from './support/vectors.js';

const GEMALTO_ATR = hex('3B8F8001803180 65B08504001112 0FFF8290008A'.replace(/ /g, ''));
const NXP_ATR = hex('3B8E800180318065495 44E5850120FFF8290'.replace(/ /g, ''));
const newCard = (transport: ScriptedTransport) =>
  new CieCard(transport, { deviceAuthKeys: testDeviceAuthKeys(), random: traceRandom() });
const digest = () => new Uint8Array(createHash('sha256').update(SIGNED_MESSAGE).digest());

/** SSC values of the trace right after VERIFY PIN (command at …1E, response at …1F). */
const ssc = (last: number) => Uint8Array.from([...hex('1F303487DD8405'), last]);

/** A protected command checked by the fake card (MAC, header, data) and answered with `sw`. */
function protectedStep(label: string, header: string, data: Uint8Array, commandSsc: number, sw = 0x9000): ScriptStep {
  return {
    label,
    expect: (command) => {
      const plain = unwrapCommand(traceKeys, ssc(commandSsc), command);
      expect(bytesToHex(plain.header)).toBe(header);
      expect(bytesToHex(plain.data)).toBe(bytesToHex(data));
    },
    respond: () => wrapResponse(traceKeys, ssc(commandSsc + 1), new Uint8Array(0), sw),
  };
}

/** The trace up to (not including) VERIFY PIN, then `tail`. */
function sessionThen(...tail: ScriptStep[]): ScriptStep[] {
  const script = fullTraceScript();
  return [...script.slice(0, stepIndex(script, 'VERIFY PIN')), ...tail];
}

describe('card family variants', () => {
  it('refuses an unknown ATR with unsupported_card', () => {
    const transport = new ScriptedTransport(hex('3BF41800FF8131805500318000C7'), []);
    expect(() => newCard(transport)).toThrow(expect.objectContaining({ code: 'unsupported_card' }));
  });

  it('reads the NIS in plain on an NXP card (SELECT MF, SELECT DF_CIE, READ BINARY by SFI)', async () => {
    const transport = new ScriptedTransport(NXP_ATR, [
      { label: 'SELECT MF', expect: hex('00A40000'), respond: ok() },
      { label: 'SELECT DF_CIE', expect: hex('00A4040C06A00000000039'), respond: ok() },
      { label: 'READ NIS', expect: hex('00B081000C'), respond: ok(asciiBytes('123456789012')) },
    ]);
    const card = newCard(transport);
    expect(card.family.name).toBe('NXP');
    expect(await card.readNis()).toBe('123456789012');
    expect(transport.resets).toBe(1);
  });

  it('retries READ BINARY with the Le the card asks for (6Cxx)', async () => {
    const transport = new ScriptedTransport(STM3_ATR, [
      { label: 'SELECT IAS', expect: hex('00A4040C0DA0000000308000000009816001'), respond: ok() },
      { label: 'SELECT DF_CIE', expect: hex('00A4040C06A00000000039'), respond: ok() },
      { label: 'READ NIS', expect: hex('00B081000C'), respond: hex('6C0C') },
      { label: 'READ NIS again', expect: hex('00B081000C'), respond: ok(asciiBytes('000000000001')) },
    ]);
    expect(await newCard(transport).readNis()).toBe('000000000001');
  });

  it('rejects a NIS that is not 12 printable characters', async () => {
    const transport = new ScriptedTransport(NXP_ATR, [
      { label: 'SELECT MF', expect: hex('00A40000'), respond: ok() },
      { label: 'SELECT DF_CIE', expect: hex('00A4040C06A00000000039'), respond: ok() },
      { label: 'READ NIS', expect: hex('00B081000C'), respond: ok(new Uint8Array(12)) },
    ]);
    await expect(newCard(transport).readNis()).rejects.toMatchObject({ code: 'malformed_response' });
  });

  it('uses the single combined GET DATA for g, p, q on CIE_Gemalto and completes the same session', async () => {
    const dh = trace.dh;
    const combined = encodeTlv(
      0x70,
      encodeTlv(0xbfa101, encodeTlv(0xa3, concatBytes(encodeTlv(0x97, hex(dh.g)), encodeTlv(0x98, hex(dh.p)), encodeTlv(0x99, hex(dh.q))))),
    );
    const script = fullTraceScript();
    const getDataSteps = script.findIndex((s) => s.label === 'GET DATA g');
    script.splice(getDataSteps, 3, { label: 'GET DATA g,p,q', expect: hex('00CB3FFF0A4D087006BFA10102A380'), respond: ok(combined) });
    script.splice(stepIndex(script, 'READ BINARY'), 1, ...certificateReads());
    const transport = new ScriptedTransport(GEMALTO_ATR, script);
    const card = newCard(transport);
    expect(card.family).toEqual({ name: 'Gemalto', select: 'ias-aid', dhParameters: 'combined' });
    const result = await card.authenticate(TRACE_PIN, digest());
    expect(bytesToHex(result.signature)).toBe(trace.sign_inputs.signature);
    expect(bytesToHex(result.certificate)).toBe(bytesToHex(CERTIFICATE));
    expect(transport.remaining).toEqual([]);
  });
});

describe('PIN management', () => {
  it('changePin: VERIFY PIN old, then CHANGE REFERENCE DATA 00 24 00 81 old ‖ new', async () => {
    const script = fullTraceScript();
    const verifyPin = script[stepIndex(script, 'VERIFY PIN')]!;
    const transport = new ScriptedTransport(
      STM3_ATR,
      sessionThen(verifyPin, protectedStep('CHANGE REFERENCE DATA', '0C240081', asciiBytes('1234567887654321'), 0x20)),
    );
    await newCard(transport).changePin(TRACE_PIN, '87654321');
    expect(transport.remaining).toEqual([]);
  });

  it('unblockPin: VERIFY PUK, then RESET RETRY COUNTER 00 2C 02 81 new PIN', async () => {
    const transport = new ScriptedTransport(
      STM3_ATR,
      sessionThen(
        protectedStep('VERIFY PUK', '0C200082', asciiBytes('99999999'), 0x1e),
        protectedStep('RESET RETRY COUNTER', '0C2C0281', asciiBytes('11223344'), 0x20),
      ),
    );
    await newCard(transport).unblockPin('99999999', '11223344');
    expect(transport.remaining).toEqual([]);
  });

  it.each([
    ['63C5', 'wrong_puk', 5],
    ['63C0', 'puk_blocked', undefined],
    ['6983', 'puk_blocked', undefined],
  ])('unblockPin: VERIFY PUK answered %s → %s', async (swHex, code, tries) => {
    const sw = parseInt(swHex, 16);
    const transport = new ScriptedTransport(
      STM3_ATR,
      sessionThen(protectedStep('VERIFY PUK', '0C200082', asciiBytes('99999999'), 0x1e, sw)),
    );
    await expect(newCard(transport).unblockPin('99999999', '11223344')).rejects.toMatchObject({
      code,
      details: tries === undefined ? { sw: swHex } : { sw: swHex, triesLeft: tries },
    });
    expect(transport.remaining).toEqual([]);
  });

  it.each([
    ['authenticate', (card: CieCard) => card.authenticate('1234', digest())],
    ['authenticate (letters)', (card: CieCard) => card.authenticate('1234567a', digest())],
    ['readCertificate', (card: CieCard) => card.readCertificate('123456789')],
    ['changePin (new)', (card: CieCard) => card.changePin(TRACE_PIN, '12 34 56')],
    ['unblockPin (PUK)', (card: CieCard) => card.unblockPin('', TRACE_PIN)],
  ])('%s: invalid_pin_format before anything is sent', async (_name, operation) => {
    const transport = new ScriptedTransport(STM3_ATR, []);
    await expect(operation(newCard(transport))).rejects.toMatchObject({ code: 'invalid_pin_format' });
    expect(transport.sent).toHaveLength(0);
    expect(transport.resets).toBe(0);
  });
});

describe('readCertificate', () => {
  it('verifies the PIN, then reads EF 10 03 only up to its DER length', async () => {
    const script = fullTraceScript();
    const verifyPin = script[stepIndex(script, 'VERIFY PIN')]!;
    // Without the signing steps, SELECT and READ BINARY come four SSC steps earlier than in the trace.
    const transport = new ScriptedTransport(
      STM3_ATR,
      sessionThen(verifyPin, protectedStep('SELECT EF 1003', '0CA40204', hex('1003'), 0x20), ...certificateReads('1F303487DD840521')),
    );
    const certificate = await newCard(transport).readCertificate(TRACE_PIN);
    expect(bytesToHex(certificate)).toBe(bytesToHex(CERTIFICATE));
    expect(transport.remaining).toEqual([]);
  });
});

describe('secure-session setup failures', () => {
  it('refuses an EF 10 04 that is not an RSA public key with malformed_response', async () => {
    const script = fullTraceScript();
    const read = script.findIndex((s) => s.label === 'READ 1004 @0');
    script.splice(read, 3, { ...script[read]!, respond: hex('30030201006282') });
    const transport = new ScriptedTransport(STM3_ATR, script.slice(0, read + 1));
    await expect(newCard(transport).authenticate(TRACE_PIN, digest())).rejects.toMatchObject({ code: 'malformed_response' });
    expect(transport.remaining).toEqual([]);
  });

  it('stops with device_auth_failed when the key file CA does not match the card CA (key ref 84)', async () => {
    const script = fullTraceScript();
    const transport = new ScriptedTransport(STM3_ATR, script.slice(0, script.findIndex((s) => s.label === 'GET DATA Y_ICC') + 1));
    const wrongCa = { ...testDeviceAuthKeys(), ca: { n: testDeviceAuthKeys().terminal.n, d: testDeviceAuthKeys().terminal.d } };
    const card = new CieCard(transport, { deviceAuthKeys: wrongCa, random: traceRandom() });
    await expect(card.authenticate(TRACE_PIN, digest())).rejects.toMatchObject({ code: 'device_auth_failed' });
    expect(transport.remaining).toEqual([]);
  });
});
