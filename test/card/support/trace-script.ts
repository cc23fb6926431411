import { createPublicKey } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt, bytesToHex, concatBytes } from '../../../src/card/bytes.js';
import { unwrapCommand, wrapResponse } from './card-side-sm.js';
import type { SessionKeys } from '../../../src/card/crypto/kdf.js';
import { type DeviceAuthKeys, parseDeviceAuthKeys } from '../../../src/card/device-auth-keys.js';
import { type ScriptStep, ok } from './scripted-transport.js';
import { type Json, hex, vectors } from './vectors.js';

/** The deterministic session of `cie_end_to_end_trace`, as a script for the fake transport. */

export const trace: Json = vectors.cie_end_to_end_trace;
/** A real STM3 ATR: SELECT by AID and three separate GET DATA, as in the trace. */
export const STM3_ATR = hex('3B8B80018066475000B80094829000C5');
export const traceKeys: SessionKeys = { kEnc: hex(trace.dh.k_enc), kMac: hex(trace.dh.k_mac) };
export const SIGNED_MESSAGE = hex(trace.sign_inputs.message);
export const TRACE_PIN = '12345678';

function keyJson(name: string) {
  const key = vectors.test_rsa_keys[name];
  return { n: key.n, e: key.e, d: key.d };
}

export const testDeviceAuthKeys = (): DeviceAuthKeys =>
  parseDeviceAuthKeys({ version: 1, ca: keyJson('test-ca'), terminal: keyJson('test-ifd') });

/** Hands out the trace's random values in order, checking the requested lengths. */
export function traceRandom(): (n: number) => Uint8Array {
  const queue = [hex(trace.dh.x_ifd), hex(trace.dapp_inputs.prnd), hex(trace.dapp_inputs.rnd_ifd)];
  return (n) => {
    const next = queue.shift();
    if (!next || next.length !== n) throw new Error(`unexpected random(${n})`);
    return next;
  };
}

export function sscPlus(ssc: string, steps: number): Uint8Array {
  return bigIntToBytes((bytesToBigInt(hex(ssc)) + BigInt(steps)) % 2n ** 64n, 8);
}

/** EF 10 04: PKCS#1 DER of the test chip key, followed by unused zero bytes as on a real card. */
export function chipKeyFile(): Uint8Array {
  const key = vectors.test_rsa_keys['test-icc'];
  const b64 = (h: string) => Buffer.from(h.length % 2 ? `0${h}` : h, 'hex').toString('base64url');
  const der = createPublicKey({ key: { kty: 'RSA', n: b64(key.n), e: b64(key.e) }, format: 'jwk' }).export({
    type: 'pkcs1',
    format: 'der',
  });
  return concatBytes(new Uint8Array(der), new Uint8Array(40));
}

const apdu = (...parts: string[]) => hex(parts.join(''));

/** Plain phase in the middleware's order (protocol §2.1 steps 1–7). */
export function plainPhase(): ScriptStep[] {
  const plain = trace.dh.plain_apdus;
  const keyFile = chipKeyFile();
  const derLength = keyFile.length - 40;
  return [
    { label: 'SELECT IAS', expect: apdu('00A4040C0D', 'A0000000308000000009816001'), respond: ok() },
    { label: 'SELECT DF_CIE', expect: apdu('00A4040C06', 'A00000000039'), respond: ok() },
    { label: 'GET DATA g', expect: hex(plain.get_data_g), respond: ok(hex(plain.get_data_g_response_data)) },
    { label: 'GET DATA p', expect: hex(plain.get_data_p), respond: ok(hex(plain.get_data_p_response_data)) },
    { label: 'GET DATA q', expect: hex(plain.get_data_q), respond: ok(hex(plain.get_data_q_response_data)) },
    { label: 'SELECT EF 1004', expect: apdu('00A40204021004'), respond: ok() },
    { label: 'READ 1004 @0', expect: apdu('00B0000080'), respond: ok(keyFile.slice(0, 128)) },
    { label: 'READ 1004 @80', expect: apdu('00B0008080'), respond: ok(keyFile.slice(128, 256)) },
    {
      label: 'READ 1004 @100',
      expect: apdu('00B00100', (derLength - 256).toString(16).padStart(2, '0')),
      respond: ok(keyFile.slice(256, derLength)),
    },
    {
      label: 'GET DATA CA key',
      expect: hex(plain.get_data_ca_key),
      respond: ok(hex(trace.dapp_inputs.ca_get_data_response_data)),
    },
    { label: 'MSE SET KAT block 1', expect: hex(plain.mse_set_kat_block1), respond: ok() },
    { label: 'MSE SET KAT block 2', expect: hex(plain.mse_set_kat_block2), respond: ok() },
    { label: 'GET DATA Y_ICC', expect: hex(plain.get_data_y_icc), respond: ok(hex(plain.get_data_y_icc_response_data)) },
  ];
}

/** Every protected command of the trace with its answer, chained blocks flattened, in order. */
export function securePhase(): ScriptStep[] {
  const steps: ScriptStep[] = [];
  for (const step of trace.steps) {
    const exchanges = step.blocks ?? (step.command ? [step] : []);
    exchanges.forEach((exchange: Json, index: number) =>
      steps.push({
        label: exchanges.length > 1 ? `${step.step} [block ${index + 1}]` : step.step,
        expect: hex(exchange.command.protected_apdu),
        respond: hex(exchange.response.response_apdu),
      }),
    );
  }
  return steps;
}

export const fullTraceScript = (): ScriptStep[] => [...plainPhase(), ...securePhase()];

/** Index of the first protected step whose label starts with `prefix`. */
export function stepIndex(script: ScriptStep[], prefix: string): number {
  const index = script.findIndex((step) => step.label.startsWith(prefix));
  if (index === -1) throw new Error(`no step ${prefix}`);
  return index;
}

/** A synthetic DER certificate (a SEQUENCE of 300 bytes) stored in a larger, zero-padded EF 10 03. */
export const CERTIFICATE = concatBytes(hex('3082012C'), Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
const CERTIFICATE_EF = concatBytes(CERTIFICATE, new Uint8Array(100));
const LAST_TRACE_SSC = '1F303487DD840525'; // ssc_before of the trace's READ BINARY

/** Answers protected READ BINARY commands after the trace, with the SSC continuing from the trace. */
export function certificateReads(sscBeforeFirstRead: string = LAST_TRACE_SSC): ScriptStep[] {
  const read = (index: number, offset: number, length: number): ScriptStep => {
    const commandSsc = sscPlus(sscBeforeFirstRead, 1 + 2 * index);
    return {
      label: `READ 1003 @${offset.toString(16)}`,
      expect: (command) => {
        const plain = unwrapCommand(traceKeys, commandSsc, command);
        const header = `0CB0${offset.toString(16).padStart(4, '0').toUpperCase()}`;
        if (bytesToHex(plain.header) !== header || plain.le !== length) throw new Error(`expected READ BINARY ${header} Le ${length}`);
      },
      respond: () =>
        wrapResponse(traceKeys, sscPlus(sscBeforeFirstRead, 2 + 2 * index), CERTIFICATE_EF.slice(offset, offset + length), 0x9000),
    };
  };
  return [read(0, 0, 128), read(1, 128, 128), read(2, 256, 48)];
}

