import { createHash, createPublicKey, verify } from 'node:crypto';
import { bytesToHex } from '../../src/card/bytes.js';
import { CardError } from '../../src/card/card-error.js';
import { CieCard } from '../../src/card/cie-card.js';
import { wrapResponse } from './support/card-side-sm.js';
import { ScriptedTransport } from './support/scripted-transport.js';
import {
  CERTIFICATE,
  SIGNED_MESSAGE,
  STM3_ATR,
  TRACE_PIN,
  certificateReads,
  fullTraceScript,
  sscPlus,
  stepIndex,
  testDeviceAuthKeys,
  trace,
  traceKeys,
  traceRandom,
} from './support/trace-script.js';
import { hex, vectors } from './support/vectors.js';

const digest = () => new Uint8Array(createHash('sha256').update(SIGNED_MESSAGE).digest());
const newCard = (transport: ScriptedTransport) =>
  new CieCard(transport, { deviceAuthKeys: testDeviceAuthKeys(), random: traceRandom() });

describe('CieCard against cie_end_to_end_trace', () => {
  it('sends every APDU of the trace byte for byte and returns the trace signature', async () => {
    const script = fullTraceScript();
    // The trace's EF 10 03 chunk is random filler, not DER: the certificate read is answered by the fake card from here on.
    script.splice(stepIndex(script, 'READ BINARY'), 1, ...certificateReads());
    const transport = new ScriptedTransport(STM3_ATR, script);
    const card = newCard(transport);

    const result = await card.authenticate(TRACE_PIN, digest());

    expect(transport.remaining).toEqual([]);
    expect(transport.resets).toBe(1);
    expect(bytesToHex(result.signature)).toBe(trace.sign_inputs.signature);
    expect(bytesToHex(result.certificate)).toBe(bytesToHex(CERTIFICATE));
    expect(result.stats).toEqual({
      apdus: transport.sent.length,
      bytesSent: transport.sent.reduce((sum, c) => sum + c.length, 0),
      bytesReceived: transport.bytesReceived,
    });
    const signKey = vectors.test_rsa_keys['test-sign'];
    const publicKey = createPublicKey({
      key: { kty: 'RSA', n: Buffer.from(signKey.n, 'hex').toString('base64url'), e: 'AQAB' },
      format: 'jwk',
    });
    expect(verify('sha256', SIGNED_MESSAGE, publicKey, result.signature)).toBe(true);
  });

  it('replays the whole trace including its READ BINARY, whose non-DER content is rejected as malformed', async () => {
    const transport = new ScriptedTransport(STM3_ATR, fullTraceScript());
    await expect(newCard(transport).authenticate(TRACE_PIN, digest())).rejects.toMatchObject({ code: 'malformed_response' });
    expect(transport.remaining).toEqual([]);
  });

  it('counts the documented APDU sequence of one login', async () => {
    const script = fullTraceScript();
    script.splice(stepIndex(script, 'READ BINARY'), 1, ...certificateReads());
    const transport = new ScriptedTransport(STM3_ATR, script);
    const { stats } = await newCard(transport).authenticate(TRACE_PIN, digest());
    // 13 plain + 13 protected commands + 3 certificate reads, plus two GET RESPONSE rounds for each of the six answers
    // longer than 256 bytes (g, p, CA key, Y_ICC, the chip's INTERNAL AUTHENTICATE, the signature): 41 APDUs (docs/card.md).
    expect(script.length).toBe(29);
    expect(stats.apdus).toBe(41);
  });
});

describe('status words inside the secure session', () => {
  const VERIFY_RESPONSE_SSC = sscPlus(trace.steps.find((s: { step: string }) => s.step.startsWith('VERIFY')).response.ssc_before, 1);

  async function verifyAnsweredWith(response: Uint8Array) {
    const script = fullTraceScript();
    const index = stepIndex(script, 'VERIFY PIN');
    script.splice(index, script.length - index, { ...script[index]!, respond: response });
    const transport = new ScriptedTransport(STM3_ATR, script);
    const error = await newCard(transport)
      .authenticate(TRACE_PIN, digest())
      .then(() => undefined, (e: unknown) => e);
    expect(transport.remaining).toEqual([]);
    expect(error).toBeInstanceOf(CardError);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(TRACE_PIN);
    return error as CardError;
  }

  it.each([
    ['63C2', 'wrong_pin', 2],
    ['63C1', 'wrong_pin', 1],
    ['63C0', 'pin_blocked', undefined],
    ['6983', 'pin_blocked', undefined],
    ['6300', 'wrong_pin', undefined],
    ['6700', 'wrong_pin', undefined],
    ['6A88', 'card_error', undefined],
  ])('VERIFY PIN answered %s inside DO 99 → %s', async (sw, code, tries) => {
    const error = await verifyAnsweredWith(wrapResponse(traceKeys, VERIFY_RESPONSE_SSC, new Uint8Array(0), parseInt(sw, 16)));
    expect(error.code).toBe(code);
    expect(error.details.triesLeft).toBe(tries);
  });

  it('rejects a tampered response MAC with secure_messaging', async () => {
    const tampered = wrapResponse(traceKeys, VERIFY_RESPONSE_SSC, new Uint8Array(0), 0x9000);
    tampered[tampered.length - 3]! ^= 0x01;
    expect((await verifyAnsweredWith(tampered)).code).toBe('secure_messaging');
  });

  it('rejects a response without DO 8E with secure_messaging', async () => {
    expect((await verifyAnsweredWith(hex('990290009000'))).code).toBe('secure_messaging');
  });

  it('rejects a truncated data object with malformed_response', async () => {
    expect((await verifyAnsweredWith(hex('9902909000'))).code).toBe('malformed_response');
    expect((await verifyAnsweredWith(hex('8711019000'))).code).toBe('malformed_response');
  });

  it('returns an unprotected error status word as a card error', async () => {
    const error = await verifyAnsweredWith(hex('6988'));
    expect(error.code).toBe('card_error');
    expect(error.details.sw).toBe('6988');
  });

  it('fails device authentication when the chip signature does not verify', async () => {
    const script = fullTraceScript();
    const index = stepIndex(script, 'INTERNAL AUTHENTICATE (RND.IFD)');
    const step = trace.steps.find((s: { step: string }) => s.step.startsWith('INTERNAL AUTHENTICATE (RND.IFD)'));
    const forged = hex(step.response.data_plain);
    forged[100]! ^= 0x01;
    const response = wrapResponse(traceKeys, hex(step.response.ssc_mac), forged, 0x9000);
    script.splice(index, script.length - index, { ...script[index]!, respond: response });
    const transport = new ScriptedTransport(STM3_ATR, script);
    await expect(newCard(transport).authenticate(TRACE_PIN, digest())).rejects.toMatchObject({
      code: 'device_auth_failed',
    });
    expect(transport.remaining).toEqual([]);
  });
});
