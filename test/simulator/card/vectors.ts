import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bytesToBase64Url, fromHex } from '../../../src/simulator/card/bytes.js';
import type { CieCardData } from '../../../src/simulator/card/card-data.js';

/** The shared known-answer vectors (read-only, outside the project tree), untyped JSON. */
export type Json = any;

export const vectors: Json = JSON.parse(
  readFileSync(path.resolve(process.cwd(), 'test/fixtures/card-vectors/cie-sm-vectors.json'), 'utf8'),
);

export function testKey(name: 'test-ca' | 'test-ifd' | 'test-icc' | 'test-sign'): KeyObject {
  const k = vectors.test_rsa_keys[name];
  const b64 = (hex: string) => bytesToBase64Url(fromHex(hex.length % 2 ? `0${hex}` : hex));
  return createPrivateKey({
    key: { kty: 'RSA', n: b64(k.n), e: b64(k.e), d: b64(k.d), p: b64(k.p), q: b64(k.q), dp: b64(k.dP), dq: b64(k.dQ), qi: b64(k.qInv) },
    format: 'jwk',
  });
}

/** A card personalised exactly as the end-to-end trace assumes (test keys, RFC 5114 group, test CA CHR/CHA). */
export function traceCard(): CieCardData {
  const trace = vectors.cie_end_to_end_trace;
  const ca = vectors.test_rsa_keys['test-ca'];
  const readChunks = vectors.cie_sm_responses.filter((r: Json) => r.id === 'cie-sm-resp-read-128' || r.id === 'cie-sm-resp-eof-6282');
  return {
    holder: { fiscalCode: 'RSSMRA80A01H501U', givenName: 'MARIO', familyName: 'ROSSI', birthDate: '1980-01-01' },
    documentNumber: 'CA00000AA',
    nis: '123456789012',
    family: 'gemalto',
    snIcc: fromHex(trace.dapp_inputs.sn_icc),
    authKey: testKey('test-sign'),
    // The trace reads test bytes from EF 10 03, not a real certificate.
    authCertificate: fromHex(readChunks.map((r: Json) => r.data_plain).join('')),
    chipKey: testKey('test-icc'),
    servicesKey: testKey('test-icc'),
    dhGroup: { g: fromHex(trace.dh.g), p: fromHex(trace.dh.p), q: fromHex(trace.dh.q) },
    deviceAuthCa: {
      n: fromHex(ca.n),
      e: fromHex(`0${ca.e}`),
      chr: fromHex(trace.dapp_inputs.ca_chr_5F20),
      cha: fromHex(trace.dapp_inputs.ca_cha_5F4C),
    },
    state: { pin: '12345678', puk: '87654321', pinTriesLeft: 3, pukTriesLeft: 10, identityBlocked: false },
  };
}

/** Randomness that replays fixed values in order and checks the requested sizes. */
export function replayRandom(values: string[]): (length: number) => Uint8Array {
  const queue = values.map(fromHex);
  return (length) => {
    const next = queue.shift();
    if (!next) throw new Error('random source exhausted');
    if (next.length !== length) throw new Error(`expected a request for ${next.length} random bytes, got ${length}`);
    return next;
  };
}
