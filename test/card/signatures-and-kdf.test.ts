import { constants, createPrivateKey, privateDecrypt, randomBytes } from 'node:crypto';
import { bytesToHex } from '../../src/card/bytes.js';
import { dhPublicKey, dhSharedSecret, generateDhPrivateKey } from '../../src/card/crypto/dh.js';
import { sha256DigestInfo } from '../../src/card/crypto/digest-info.js';
import { iso9796Recover, iso9796Sign } from '../../src/card/crypto/iso9796-2.js';
import { deriveSessionKeys } from '../../src/card/crypto/kdf.js';
import { rsaRaw } from '../../src/card/crypto/rsa-raw.js';
import { type Json, hex, publicVector, rsaKey, vectors } from './support/vectors.js';

describe('session key derivation (cie_kdf)', () => {
  it.each<[string, Json]>(vectors.cie_kdf.map((v: Json): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const keys = deriveSessionKeys(hex(v.Z));
    expect(bytesToHex(keys.kEnc)).toBe(v.k_enc);
    expect(bytesToHex(keys.kMac)).toBe(v.k_mac);
    if (v.minimal_encoding_variant) {
      // The minimal encoding would give different keys: why Z is always hashed as |p| bytes.
      expect(bytesToHex(deriveSessionKeys(hex(v.minimal_encoding_variant.Z_minimal)).kEnc)).toBe(v.minimal_encoding_variant.k_enc);
      expect(v.minimal_encoding_variant.k_enc).not.toBe(v.k_enc);
    }
  });
});

describe('DH of the trace', () => {
  const dh = vectors.cie_end_to_end_trace.dh;
  const group = { g: hex(dh.g), p: hex(dh.p), q: hex(dh.q) };

  it('computes Y_IFD, Y_ICC and Z in fixed |p|-byte encoding', () => {
    expect(bytesToHex(dhPublicKey(group, hex(dh.x_ifd)))).toBe(dh.y_ifd);
    expect(bytesToHex(dhPublicKey(group, hex(dh.x_icc)))).toBe(dh.y_icc);
    expect(bytesToHex(dhSharedSecret(group, hex(dh.x_ifd), hex(dh.y_icc)))).toBe(dh.Z);
    expect(bytesToHex(dhSharedSecret(group, hex(dh.x_icc), hex(dh.y_ifd)))).toBe(dh.Z);
    expect(bytesToHex(deriveSessionKeys(hex(dh.Z)).kEnc)).toBe(dh.k_enc);
  });

  it('rejects degenerate card public keys', () => {
    expect(() => dhSharedSecret(group, hex(dh.x_ifd), Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'device_auth_failed' }));
    expect(() => dhSharedSecret(group, hex(dh.x_ifd), hex(dh.p))).toThrow(expect.objectContaining({ code: 'device_auth_failed' }));
  });

  it('draws x again until 1 < x < q', () => {
    const draws = [new Uint8Array(32).fill(0xff), new Uint8Array(32), hex(dh.x_ifd)];
    expect(bytesToHex(generateDhPrivateKey(group.q, () => draws.shift()!))).toBe(dh.x_ifd);
    expect(draws).toHaveLength(0);
  });
});

describe('ISO/IEC 9796-2 scheme 1', () => {
  it('Bouncy Castle test 5 (RIPEMD-160, 640-bit key): signs to the published signature', () => {
    const v = publicVector('bc-iso9796-test5');
    const key = { n: hex(v.n), e: hex(`0${v.e}`), d: hex(v.d) };
    const { signature, nonRecoverable } = iso9796Sign(hex(v.message), key, 'ripemd160');
    expect(bytesToHex(signature)).toBe(v.signature);
    expect(hex(v.message).length - nonRecoverable.length).toBe(v.recoverable_m1_length);
    expect(iso9796Recover(signature, key, nonRecoverable, 'ripemd160')).toBeDefined();
  });

  it('Bouncy Castle test 13 (eMRTD Active Authentication, SHA-1): recovers M1', () => {
    const v = publicVector('bc-iso9796-test13-aa');
    const m1 = iso9796Recover(hex(v.signature), { n: hex(v.n), e: hex(`0${v.e}`) }, hex(v.challenge_m2), 'sha1');
    expect(bytesToHex(m1!)).toBe(v.recovered_m1);
    expect(iso9796Recover(hex(v.signature), { n: hex(v.n), e: hex(`0${v.e}`) }, hex('0000000000000001'), 'sha1')).toBeUndefined();
  });

  it('cie_iso9796_2: CV certificate and simple message (sign + recover)', () => {
    for (const id of ['cie-iso9796-2-cv-cert', 'cie-iso9796-2-simple']) {
      const v = vectors.cie_iso9796_2.find((x: Json) => x.id === id);
      const key = rsaKey(v.key);
      const message = hex(v.message_B ?? v.message);
      const { signature, nonRecoverable } = iso9796Sign(message, key);
      expect(bytesToHex(signature)).toBe(v.signature);
      expect(bytesToHex(nonRecoverable)).toBe(v.m2_pkrem ?? v.m2);
      expect(bytesToHex(iso9796Recover(signature, key, nonRecoverable)!)).toBe(v.m1_recoverable);
      expect(bytesToHex(rsaRaw(signature, key.e, key.n))).toBe(v.message_representative);
    }
  });

  it('cie_iso9796_2: EXTERNAL and INTERNAL AUTHENTICATE signatures of the trace', () => {
    const trace = vectors.cie_end_to_end_trace;
    const d = trace.dh;
    const a = trace.dapp_inputs;
    const gpq = d.g + d.p + d.q;
    const ext = vectors.cie_iso9796_2.find((x: Json) => x.id === 'cie-iso9796-2-ext-auth');
    const extMessage = hex(ext.prnd + d.y_ifd + a.sn_ifd + a.rnd_icc + d.y_icc + gpq);
    expect(bytesToHex(iso9796Sign(extMessage, rsaKey('test-ifd')).signature)).toBe(ext.signature);
    const int = vectors.cie_iso9796_2.find((x: Json) => x.id === 'cie-iso9796-2-int-auth');
    const rest = hex(d.y_icc + a.sn_icc + a.rnd_ifd + d.y_ifd + gpq);
    expect(bytesToHex(iso9796Recover(hex(int.signature), rsaKey('test-icc'), rest)!)).toBe(int.prnd2);
    const forged = hex(int.signature);
    forged[0]! ^= 1;
    expect(iso9796Recover(forged, rsaKey('test-icc'), rest)).toBeUndefined();
  });
});

describe('PKCS#1 v1.5 (cie_pkcs1_v15)', () => {
  it.each<[string, Json]>(vectors.cie_pkcs1_v15.map((v: Json): [string, Json] => [v.id, v]))('%s', (_id, v: Json) => {
    const key = rsaKey(v.key);
    if (v.digestinfo) expect(bytesToHex(sha256DigestInfo(hex(v.sha256)))).toBe(v.digestinfo);
    expect(bytesToHex(rsaRaw(hex(v.em), key.d, key.n))).toBe(v.signature);
    expect(bytesToHex(rsaRaw(hex(v.signature), key.e, key.n))).toBe(v.em);
  });

  it('raw RSA with d equals OpenSSL private-key operation with CRT, and refuses inputs not below n', () => {
    const key = rsaKey('test-sign');
    const full = vectors.test_rsa_keys['test-sign'];
    const b64 = (value: string) => Buffer.from(value.length % 2 ? `0${value}` : value, 'hex').toString('base64url');
    const privateKey = createPrivateKey({
      key: { kty: 'RSA', n: b64(full.n), e: b64(full.e), d: b64(full.d), p: b64(full.p), q: b64(full.q), dp: b64(full.dP), dq: b64(full.dQ), qi: b64(full.qInv) },
      format: 'jwk',
    });
    const input = randomBytes(key.n.length);
    input[0] = 0x01;
    const expected = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, input);
    expect(bytesToHex(rsaRaw(input, key.d, key.n))).toBe(bytesToHex(expected));
    expect(() => rsaRaw(key.n, key.d, key.n)).toThrow(RangeError);
  });

  it('refuses a digest that is not 32 bytes', () => {
    expect(() => sha256DigestInfo(new Uint8Array(20))).toThrow(RangeError);
  });
});

describe('unusable DH parameters from the card', () => {
  it('are reported as malformed_response, never as a raw exception', () => {
    const tiny = { g: Uint8Array.of(2), p: Uint8Array.of(0x10), q: Uint8Array.of(0x07) };
    expect(() => dhPublicKey(tiny, Uint8Array.of(3))).toThrow(expect.objectContaining({ code: 'malformed_response' }));
    expect(() => generateDhPrivateKey(tiny.q, () => Uint8Array.of(3))).toThrow(
      expect.objectContaining({ code: 'malformed_response' }),
    );
  });
});
